package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.C2MToken;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.model.ShortTokenRequest;
import io.github.c2mspring.auth.model.TokenResponse;
import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * Holds the long-term token and the short-term tokens exchanged from it, one per scope
 * set, and keeps them fresh. Its guarantees:
 * <ul>
 * <li><b>One request per need.</b> Every caller that finds the same token missing joins
 * the one request in flight (per scope set, and for the long-term token) and gets the
 * same token or the same {@link C2MAuthException}.</li>
 * <li><b>No caller waits after warm-up.</b> A token is served without a lock while it has
 * more than the safety margin left. From the refresh point of its life (by default
 * half-way, &plusmn;10% jitter) the first caller starts a replacement in the background
 * and is served the current token, as is everyone until the replacement lands.</li>
 * <li><b>Outages are absorbed; retries are bounded.</b> A failed background refresh
 * leaves the current token in service and is retried after an exponential, fully jittered
 * delay (at least the server's {@code Retry-After}), whatever the traffic. Only when no
 * token with the margin left exists does a caller see the failure, at once, until the
 * next attempt is due. A failure is never stored as a token.</li>
 * <li><b>Expiry is clock-safe.</b> Expiry is the request time plus {@code expires_in}, on
 * the manager's clock (a {@link MonotonicClock} by default, which also counts time the
 * machine spent suspended); the server's {@code expires_at} and clock are not used.</li>
 * <li><b>Hard errors heal.</b> An exchange refused with 401 (the long-term token was
 * revoked or expired) re-issues the long-term token once from the credential, where one
 * can issue, and repeats the exchange.</li>
 * <li><b>The long-term token rotates itself</b> at its rotation point, through
 * {@code POST /auth/tokens/long} authorized by a short-term token with
 * {@code tokens:write}, in a single flight; exchanges switch to the new token atomically
 * and the previous one is revoked after a grace period (configurable).</li>
 * <li><b>The long-term token lives in a {@link LongTermTokenStore}</b> (in memory unless
 * {@link #setLongTermTokenStore set}): instances sharing a store adopt the stored token
 * instead of issuing one, issue and rotate it once for all of them, check the store at
 * least every check interval for a token another instance stored, and revoke a
 * rotated-out token once its grace period is over; see
 * {@link LongTermTokenCoordinator}.</li>
 * </ul>
 */
public final class C2MTokenManager {

	private static final Log logger = LogFactory.getLog(C2MTokenManager.class);

	/**
	 * Longest lifetime believed, so that an absurd {@code expires_in} cannot overflow.
	 */
	static final Duration MAX_LIFETIME = Duration.ofDays(400);

	private static final String TOKENS_WRITE = "tokens:write";

	/**
	 * How many check intervals a rotation waits after the store failed to take the
	 * rotated token.
	 */
	private static final int STORE_FAILURE_PAUSE = 10;

	/** The default lease of the long-term token store. */
	public static final Duration DEFAULT_LEASE = Duration.ofMinutes(1);

	/** The default interval between checks of the long-term token store. */
	public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(1);

	private final C2MAuthClient client;

	private final LongTermTokenSource longTermTokenSource;

	private final Set<String> defaultScopes;

	private final Clock clock;

	private final TokenPolicy policy;

	private final TokenExecution execution;

	private final Refresher<LongTermToken> longTerm;

	private final Map<Set<String>, Refresher<ShortTermToken>> shortTerm = new ConcurrentHashMap<>();

	private final RefusedTokens refusedTokens = new RefusedTokens(64);

	private final AtomicReference<CompletableFuture<Void>> maintenance = new AtomicReference<>();

	private volatile Backoff rotationBackoff = Backoff.NONE;

	private final Refresher.Owner refresherOwner = new RefresherOwner();

	private final LongAdder cacheHits = new LongAdder();

	private final LongAdder cacheMisses = new LongAdder();

	private final LongAdder exchanges = new LongAdder();

	private final LongAdder exchangeFailures = new LongAdder();

	private final LongAdder issuances = new LongAdder();

	private final LongAdder issuanceFailures = new LongAdder();

	private final LongAdder adoptions = new LongAdder();

	/**
	 * A token adopted from the store at first need, counted once it yields a short-term
	 * token.
	 */
	private final AtomicReference<LongTermToken> unprovenAdoption = new AtomicReference<>();

	private final LongAdder backgroundRefreshes = new LongAdder();

	private final LongAdder rotations = new LongAdder();

	private final LongAdder rotationFailures = new LongAdder();

	private final LongAdder rejectedDuringBackoff = new LongAdder();

	private volatile Failure lastFailure;

	private volatile Consumer<C2MTokenEvent> eventListener = (event) -> {
	};

	private volatile DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

	private volatile Rotation rotation;

	private volatile LongTermTokenCoordinator coordinator;

	private volatile Duration checkInterval = DEFAULT_CHECK_INTERVAL;

	private volatile Instant nextCheckAt = Instant.MAX;

	private volatile Instant rotationNotBefore = Instant.MIN;

	/**
	 * Create a manager with the default policy and the given safety margin.
	 * @param client the auth client
	 * @param longTermTokenSource where the long-term token comes from
	 * @param defaultScopes the scopes of a short-term token when a caller names none
	 * (empty for the long-term token's own scopes)
	 * @param clock the clock that decides expiry
	 * @param safetyMargin how long before its expiry a token is no longer handed out
	 */
	public C2MTokenManager(C2MAuthClient client, LongTermTokenSource longTermTokenSource,
			Collection<String> defaultScopes, Clock clock, Duration safetyMargin) {
		this(client, longTermTokenSource, defaultScopes, clock, TokenPolicy.defaults().withSafetyMargin(safetyMargin));
	}

	/**
	 * Create a manager.
	 * @param client the auth client
	 * @param longTermTokenSource where the long-term token comes from
	 * @param defaultScopes the scopes of a short-term token when a caller names none
	 * (empty for the long-term token's own scopes)
	 * @param clock the clock that decides expiry
	 * @param policy when tokens are replaced and how failures are retried
	 */
	public C2MTokenManager(C2MAuthClient client, LongTermTokenSource longTermTokenSource,
			Collection<String> defaultScopes, Clock clock, TokenPolicy policy) {
		this(client, longTermTokenSource, defaultScopes, clock, policy, TokenExecution.defaults());
	}

	/**
	 * Create a manager.
	 * @param client the auth client
	 * @param longTermTokenSource where the long-term token comes from
	 * @param defaultScopes the scopes of a short-term token when a caller names none
	 * (empty for the long-term token's own scopes)
	 * @param clock the clock that decides expiry
	 * @param policy when tokens are replaced and how failures are retried
	 * @param execution where the calls of a blocking store run, and how long a store call
	 * and a blocking caller may wait
	 */
	public C2MTokenManager(C2MAuthClient client, LongTermTokenSource longTermTokenSource,
			Collection<String> defaultScopes, Clock clock, TokenPolicy policy, TokenExecution execution) {
		Assert.notNull(client, "client must not be null");
		Assert.notNull(longTermTokenSource, "longTermTokenSource must not be null");
		Assert.notNull(defaultScopes, "defaultScopes must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(policy, "policy must not be null");
		Assert.notNull(execution, "execution must not be null");
		this.execution = execution;
		this.client = client;
		this.longTermTokenSource = longTermTokenSource;
		this.defaultScopes = normalize(defaultScopes);
		this.clock = clock;
		this.policy = policy;
		this.longTerm = new Refresher<>(C2MOperation.ISSUE_LONG_TERM_TOKEN, this::obtainLongTermToken, (token) -> null,
				this.refresherOwner);
		this.coordinator = coordinator(new InMemoryLongTermTokenStore(), "default", DEFAULT_LEASE);
	}

	/**
	 * Keep the long-term token in a store, shared with the other instances that use the
	 * same store and key: they issue it once, rotate it once and revoke a rotated-out
	 * token once. Without a store the token is kept in this manager's memory. Call before
	 * the first token is obtained.
	 * @param store the store
	 * @param key the key of the token in the store (the client id)
	 * @param lease how long one instance may take to issue or rotate before another may
	 * take over (also how long a dead instance can hold the others up)
	 * @param checkInterval how often, at most, an instance using the token looks at the
	 * store for a token another instance stored and for a retired token due for
	 * revocation
	 */
	public void setLongTermTokenStore(LongTermTokenStore store, String key, Duration lease, Duration checkInterval) {
		Assert.isTrue(checkInterval != null && !checkInterval.isNegative() && !checkInterval.isZero(),
				"checkInterval must be positive");
		this.coordinator = coordinator(store, key, lease);
		this.checkInterval = checkInterval;
	}

	private LongTermTokenCoordinator coordinator(LongTermTokenStore store, String key, Duration lease) {
		return new LongTermTokenCoordinator(store, key, this.longTermTokenSource, storeClock(), lease,
				(token) -> isUsable(token, this.clock.instant()), this::revokeRetired, this.execution);
	}

	/**
	 * The clock of the times a store shares between instances (leases, when a retired
	 * token is revoked): the wall clock, which every machine keeps in step with the
	 * others, where the manager measures expiry on a {@link MonotonicClock}, which never
	 * goes back and so may drift from the wall clock after a correction of the system
	 * time; any other clock given to the manager (a test's) as it is.
	 */
	Clock storeClock() {
		return (this.clock instanceof MonotonicClock monotonic) ? monotonic.wallClock() : this.clock;
	}

	/**
	 * Enable rotation of the long-term token (when the policy allows it): the request it
	 * sends.
	 * @param clientId the client id
	 * @param scopes the scopes to request (empty for the current token's)
	 * @param ttl the lifetime to request, or {@code null} for the server's default
	 */
	public void setRotation(String clientId, List<String> scopes, Duration ttl) {
		Assert.hasText(clientId, "clientId must not be empty");
		this.rotation = new Rotation(clientId, List.copyOf(scopes), ttl);
	}

	/**
	 * Set who is told about issuance, rotation, revocation and failures. A listener that
	 * throws is logged and ignored. It is called on the thread that produced the event,
	 * often a network event-loop thread, so it must neither block nor do I/O; hand the
	 * event to an executor otherwise (the auto-configured manager publishes its events in
	 * order on one).
	 * @param eventListener the listener
	 */
	public void setEventListener(Consumer<C2MTokenEvent> eventListener) {
		Assert.notNull(eventListener, "eventListener must not be null");
		this.eventListener = eventListener;
	}

	/**
	 * Set the source of randomness for jitter (uniform in [0, 1)).
	 * @param random the source
	 */
	public void setRandom(DoubleSupplier random) {
		Assert.notNull(random, "random must not be null");
		this.random = random;
	}

	// ---------------------------------------------------------------- short-term tokens

	/**
	 * A short-term token for the default scopes, with more than the safety margin left.
	 * @return the token
	 */
	public Mono<ShortTermToken> getShortTermToken() {
		return getShortTermToken(this.defaultScopes);
	}

	/**
	 * A short-term token for a scope set, with more than the safety margin left.
	 * @param scopes the scopes (empty for the default scopes)
	 * @return the token
	 */
	public Mono<ShortTermToken> getShortTermToken(Collection<String> scopes) {
		Assert.notNull(scopes, "scopes must not be null");
		Refresher<ShortTermToken> refresher = shortTermRefresher(scopes);
		ShortTermToken cached = cachedShortTermToken(refresher);
		if (cached != null) {
			return Mono.just(cached);
		}
		return Mono.fromFuture(refresher::obtain, true);
	}

	/**
	 * A short-term token for a scope set, for a caller that may block: served from the
	 * cache without touching Reactor when one is usable, otherwise obtained and waited
	 * for, at most the {@link TokenExecution#getBlockingTimeout() blocking timeout}.
	 * @param scopes the scopes (empty for the default scopes)
	 * @return the token
	 * @throws C2MAuthException the failure, or the end of the wait
	 */
	public ShortTermToken getShortTermTokenBlocking(Collection<String> scopes) {
		Assert.notNull(scopes, "scopes must not be null");
		Refresher<ShortTermToken> refresher = shortTermRefresher(scopes);
		ShortTermToken cached = cachedShortTermToken(refresher);
		if (cached != null) {
			return cached;
		}
		return this.execution.await(refresher.obtain(), C2MOperation.EXCHANGE_SHORT_TERM_TOKEN);
	}

	private ShortTermToken cachedShortTermToken(Refresher<ShortTermToken> refresher) {
		ShortTermToken cached = refresher.usableToken(this.clock.instant());
		if (cached != null) {
			this.cacheHits.increment();
			return cached;
		}
		this.cacheMisses.increment();
		return null;
	}

	private Refresher<ShortTermToken> shortTermRefresher(Collection<String> scopes) {
		if (scopes.isEmpty()) {
			return shortTermRefresher(this.defaultScopes);
		}
		if (scopes instanceof Set<?>) {
			Refresher<ShortTermToken> existing = this.shortTerm.get(scopes);
			if (existing != null) {
				return existing;
			}
		}
		return shortTermRefresher(normalize(scopes));
	}

	private Refresher<ShortTermToken> shortTermRefresher(Set<String> key) {
		Refresher<ShortTermToken> existing = this.shortTerm.get(key);
		if (existing != null) {
			return existing;
		}
		return this.shortTerm.computeIfAbsent(key, (scopes) -> new Refresher<>(C2MOperation.EXCHANGE_SHORT_TERM_TOKEN,
				() -> exchange(scopes), this::shortTermRefreshAt, this.refresherOwner));
	}

	/**
	 * The short-term token held now for a scope set, without obtaining one; it may be
	 * expired.
	 * @param scopes the scopes (empty for the default scopes)
	 * @return the token, if one is held
	 */
	public Optional<ShortTermToken> currentShortTermToken(Collection<String> scopes) {
		Refresher<ShortTermToken> refresher = this.shortTerm.get(key(scopes));
		return Optional.ofNullable((refresher != null) ? refresher.token() : null);
	}

	/**
	 * Every short-term token held now, by scope set.
	 * @return the tokens
	 */
	public Map<Set<String>, ShortTermToken> currentShortTermTokens() {
		return this.shortTerm.entrySet()
			.stream()
			.map((entry) -> Map.entry(entry.getKey(), Optional.ofNullable(entry.getValue().token())))
			.filter((entry) -> entry.getValue().isPresent())
			.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, (entry) -> entry.getValue().get()));
	}

	/**
	 * Forget a short-term token the API refused (for example with a 401), so that the
	 * next caller obtains a new one. Does nothing if another token has replaced it
	 * already.
	 * @param scopes the scopes it was obtained for (empty for the default scopes)
	 * @param tokenValue the value of the refused token, or {@code null} for whatever is
	 * held
	 */
	public void evict(Collection<String> scopes, String tokenValue) {
		Refresher<ShortTermToken> refresher = this.shortTerm.get(key(scopes));
		if (refresher != null) {
			refresher.evict(tokenValue);
		}
	}

	/**
	 * Forget a short-term token the API refused, whatever scope set it was obtained for.
	 * @param tokenValue the value of the refused token
	 */
	public void evictValue(String tokenValue) {
		Assert.hasText(tokenValue, "tokenValue must not be empty");
		this.shortTerm.values().forEach((refresher) -> refresher.evict(tokenValue));
	}

	/**
	 * Forget every token held with this id, because it was revoked: a short-term token of
	 * any scope set (the next caller exchanges anew), or the long-term token, which is
	 * then treated as refused by the server: the next use adopts a replacement another
	 * instance stored, or issues one where the source can. Tokens held with another id
	 * are kept.
	 * @param tokenId the id of the revoked token
	 */
	public void evictRevoked(String tokenId) {
		Assert.hasText(tokenId, "tokenId must not be empty");
		this.shortTerm.values().forEach((refresher) -> refresher.evictId(tokenId));
		LongTermToken held = this.longTerm.token();
		if (held != null && tokenId.equals(held.tokenId())) {
			this.coordinator.refused(held);
			this.longTermTokenSource.invalidate(held);
			this.longTerm.replace(held, null);
		}
	}

	/**
	 * Learn that the API refused a short-term token as invalid ({@code invalid_token}).
	 * The first report of a value evicts it (with {@code evict}), so that the next caller
	 * obtains a new token; a later report of the same value evicts nothing, so that any
	 * number of refusals of one token costs at most one exchange. Without {@code evict}
	 * the value is only remembered: for a token obtained just after an eviction and
	 * refused at once, where another exchange would not help.
	 * @param tokenValue the value of the refused token
	 * @param evict whether to evict it, the first time, if it is still held
	 * @return whether the value had not been reported before
	 */
	public boolean refused(String tokenValue, boolean evict) {
		Assert.hasText(tokenValue, "tokenValue must not be empty");
		synchronized (this.refusedTokens) {
			boolean first = this.refusedTokens.add(tokenValue);
			if (first && evict) {
				evictValue(tokenValue);
			}
			return first;
		}
	}

	/**
	 * Whether the API refused a short-term token value as invalid lately (see
	 * {@link #refused(String, boolean)}); the last 64 values reported are remembered.
	 * @param tokenValue the token value
	 * @return whether it was refused
	 */
	public boolean isRefused(String tokenValue) {
		Assert.hasText(tokenValue, "tokenValue must not be empty");
		return this.refusedTokens.contains(tokenValue);
	}

	/**
	 * Revoke every short-term token held, authorized by the long-term token (which needs
	 * {@code tokens:revoke}), and forget them. Failures are logged, not thrown.
	 * @return completion, once every revocation answered or failed
	 */
	public Mono<Void> revokeShortTermTokens() {
		LongTermToken authority = this.longTerm.token();
		if (authority == null) {
			return Mono.empty();
		}
		List<Mono<Void>> revocations = new java.util.ArrayList<>();
		for (Refresher<ShortTermToken> refresher : this.shortTerm.values()) {
			ShortTermToken token = refresher.token();
			if (token != null && token.tokenId() != null) {
				refresher.replace(token, null);
				revocations.add(this.client.revoke(token.tokenId(), authority.tokenValue())
					.doOnSuccess((done) -> publish(C2MTokenEvent.Type.TOKEN_REVOKED, token.tokenId(), null, null, null))
					.onErrorResume((ex) -> {
						logger.warn("Could not revoke the C2M short-term token " + token.tokenId() + ": "
								+ ex.getMessage());
						return Mono.empty();
					}));
			}
		}
		return Mono.when(revocations);
	}

	// ---------------------------------------------------------------- long-term token

	/**
	 * The long-term token, obtained if none is usable (adopted from the store, or issued
	 * from the source). When the token has reached its rotation point, or the check
	 * interval has passed, starts a rotation or a check of the store in the background.
	 * @return the long-term token
	 */
	public Mono<LongTermToken> getLongTermToken() {
		Instant now = this.clock.instant();
		LongTermToken current = this.longTerm.token();
		if (current != null && isUsable(current, now)) {
			if (!now.isBefore(this.nextCheckAt) || rotationDue(current, now)) {
				maintain(current);
			}
			return Mono.just(current);
		}
		return Mono.fromFuture(this.longTerm::obtain, true);
	}

	/**
	 * Revoke the long-term token that a rotation retired, now, without waiting for its
	 * grace period. For an application that is the only user of its store (the in-memory
	 * one) and is stopping: no instance would be left to revoke it when the grace period
	 * ends. Failures are logged, not thrown.
	 * @return whether a retired token was revoked (or given up on)
	 */
	public Mono<Boolean> revokeRetiredLongTermToken() {
		return this.coordinator.revokeRetiredNow().onErrorResume((ex) -> {
			logger.warn("Could not revoke the retired C2M long-term token: " + ex.getMessage());
			return Mono.just(false);
		});
	}

	/**
	 * The long-term token held now, without obtaining one.
	 * @return the token, if one is held
	 */
	public Optional<LongTermToken> currentLongTermToken() {
		return Optional.ofNullable(this.longTerm.token());
	}

	/**
	 * Look after the held long-term token now: rotate it if due, otherwise check the
	 * store (adopt a token another instance stored, revoke a retired token whose grace
	 * period is over). Joins the check or rotation in flight, if any. Does nothing while
	 * no token is held. Failures are recorded and published, not thrown.
	 * @return completion
	 */
	public Mono<Void> checkLongTermToken() {
		LongTermToken current = this.longTerm.token();
		if (current == null) {
			return Mono.empty();
		}
		return Mono.fromFuture(() -> maintain(current), true);
	}

	private Mono<LongTermToken> obtainLongTermToken() {
		LongTermToken previous = this.longTerm.token();
		return this.coordinator.obtain().map((outcome) -> {
			LongTermToken token = outcome.token();
			boolean issued = outcome.kind() == LongTermTokenCoordinator.Kind.ISSUED;
			if (issued) {
				this.issuances.increment();
			}
			else if (outcome.kind() == LongTermTokenCoordinator.Kind.ADOPTED) {
				// it may be left from an earlier run, unknown to the server: counted when
				// it works
				this.unprovenAdoption.set(token);
			}
			String origin = switch (outcome.kind()) {
				case ISSUED -> "issued from " + this.longTermTokenSource.description();
				case ADOPTED -> "from " + this.coordinator.getStore();
				default -> "the configured " + this.longTermTokenSource.description();
			};
			logger.info((issued ? "Obtained C2M long-term token " : "Adopted C2M long-term token ") + token.tokenId()
					+ " (" + origin + ", scopes " + token.scopes() + ", expires " + token.expiresAt() + ")");
			publish(issued ? C2MTokenEvent.Type.LONG_TERM_ISSUED : C2MTokenEvent.Type.LONG_TERM_ADOPTED,
					token.tokenId(), (previous != null) ? previous.tokenId() : null, null, null);
			this.nextCheckAt = this.clock.instant().plus(this.checkInterval);
			return token;
		}).doOnError((ex) -> this.issuanceFailures.increment());
	}

	private boolean rotationDue(LongTermToken token, Instant now) {
		if (!this.policy.rotation() || this.rotation == null || token.issuedAt() == null || token.expiresAt() == null
				|| !token.scopes().contains(TOKENS_WRITE)) {
			return false;
		}
		Instant rotateAt = (this.policy.rotateBefore() != null) ? token.expiresAt().minus(this.policy.rotateBefore())
				: pointOfLife(token, this.policy.rotateAt());
		return !now.isBefore(rotateAt) && this.rotationBackoff.allows(now) && !now.isBefore(this.rotationNotBefore);
	}

	/**
	 * Rotate or check, in a single flight: every caller joins the one in progress.
	 */
	private CompletableFuture<Void> maintain(LongTermToken held) {
		while (true) {
			CompletableFuture<Void> running = this.maintenance.get();
			if (running != null) {
				return running;
			}
			CompletableFuture<Void> future = new CompletableFuture<>();
			if (!this.maintenance.compareAndSet(null, future)) {
				continue;
			}
			Mono<LongTermTokenCoordinator.Outcome> work;
			try {
				work = rotationDue(held, this.clock.instant()) ? rotate(held) : check(held);
			}
			catch (RuntimeException ex) {
				work = Mono.error(ex);
			}
			work.subscribe(null, (ex) -> finishMaintenance(future), () -> finishMaintenance(future));
			return future;
		}
	}

	private void finishMaintenance(CompletableFuture<Void> future) {
		this.nextCheckAt = this.clock.instant().plus(this.checkInterval);
		this.maintenance.set(null);
		future.complete(null);
	}

	private Mono<LongTermTokenCoordinator.Outcome> check(LongTermToken held) {
		return this.coordinator.check(held).doOnNext((outcome) -> adopt(held, outcome)).doOnError((ex) -> {
			C2MAuthException failure = asAuthException(ex, C2MOperation.REVOKE_TOKEN);
			recordFailure(failure);
			logger.warn("Could not check the C2M long-term token store; the held token " + held.tokenId()
					+ " stays in use: " + failure.getMessage());
		});
	}

	private Mono<LongTermTokenCoordinator.Outcome> rotate(LongTermToken held) {
		Rotation settings = this.rotation;
		AtomicReference<LongTermTokenCoordinator.Outcome> result = new AtomicReference<>();
		return this.coordinator
			.rotate(held, Mono.defer(() -> getShortTermToken(Set.of(TOKENS_WRITE))),
					(writer) -> rotateAtServer(settings, writer), this.policy.revokeGrace(),
					this.policy.revokeAfterRotation())
			.doOnNext((outcome) -> {
				result.set(outcome);
				switch (outcome.kind()) {
					case ROTATED -> rotated(held, outcome);
					case BUSY -> this.rotationNotBefore = this.clock.instant().plus(this.checkInterval);
					default -> adopt(held, outcome);
				}
			})
			// once the rotation has given its lease back: a retired token with no grace
			// period goes now
			.then(Mono.defer(() -> {
				LongTermTokenCoordinator.Outcome outcome = result.get();
				boolean revokeNow = outcome != null && outcome.kind() == LongTermTokenCoordinator.Kind.ROTATED
						&& outcome.retired() != null && outcome.retired().isDue(this.clock.instant());
				// a failure of that check is recorded by it, and is no failure of the
				// rotation
				return revokeNow ? check(outcome.token()).onErrorResume((ex) -> Mono.empty()).thenReturn(outcome)
						: Mono.justOrEmpty(outcome);
			}))
			.doOnError((ex) -> rotationFailed(held, result.get(), ex));
	}

	private void rotationFailed(LongTermToken held, LongTermTokenCoordinator.Outcome done, Throwable ex) {
		C2MAuthException failure = asAuthException(ex, C2MOperation.ROTATE_LONG_TERM_TOKEN);
		recordFailure(failure);
		if (done != null && done.kind() == LongTermTokenCoordinator.Kind.ROTATED) {
			logger.warn("Rotated the C2M long-term token, but could not give the store's lease back (another "
					+ "instance takes it when it runs out): " + failure.getMessage());
			return;
		}
		this.rotationFailures.increment();
		Instant now = this.clock.instant();
		this.rotationBackoff = backoffAfter(this.rotationBackoff, failure, now);
		if (LongTermTokenCoordinator.STORE_ERROR.equals(failure.getCode())) {
			// each attempt would have the server issue a token that the store then
			// refuses
			this.rotationNotBefore = now.plus(this.checkInterval.multipliedBy(STORE_FAILURE_PAUSE));
		}
		Instant next = this.rotationBackoff.nextAttemptAt().isAfter(this.rotationNotBefore)
				? this.rotationBackoff.nextAttemptAt() : this.rotationNotBefore;
		logger.warn("Could not rotate the C2M long-term token " + held.tokenId() + "; it stays in use, next attempt "
				+ "after " + next + ": " + failure.getMessage());
	}

	private Mono<LongTermToken> rotateAtServer(Rotation settings, ShortTermToken writer) {
		Long ttlSeconds = (settings.ttl() != null) ? settings.ttl().toSeconds() : null;
		List<String> scopes = settings.scopes().isEmpty() ? null : settings.scopes();
		return Mono.defer(() -> {
			Instant requestedAt = this.clock.instant();
			return this.client
				.rotateLongTermToken(LongTokenRequest.forRotation(settings.clientId(), scopes, ttlSeconds),
						writer.tokenValue())
				.map((response) -> new LongTermToken(response.accessToken(), response.tokenId(),
						Set.copyOf(response.scopes()), requestedAt, expiry(response, requestedAt)));
		});
	}

	private void rotated(LongTermToken held, LongTermTokenCoordinator.Outcome outcome) {
		LongTermToken fresh = outcome.token();
		this.longTerm.replace(held, fresh);
		this.rotations.increment();
		this.rotationBackoff = Backoff.NONE;
		logger.info("Rotated the C2M long-term token " + held.tokenId() + " to " + fresh.tokenId() + " (expires "
				+ fresh.expiresAt() + ")" + ((outcome.retired() != null)
						? "; " + held.tokenId() + " is revoked after " + outcome.retired().revokeAt() : ""));
		publish(C2MTokenEvent.Type.LONG_TERM_ROTATED, fresh.tokenId(), held.tokenId(), null, null);
	}

	private void adopt(LongTermToken held, LongTermTokenCoordinator.Outcome outcome) {
		if (outcome.kind() != LongTermTokenCoordinator.Kind.ADOPTED || !this.longTerm.replace(held, outcome.token())) {
			return;
		}
		LongTermToken adopted = outcome.token();
		this.adoptions.increment();
		this.rotationBackoff = Backoff.NONE;
		logger.info("Adopted the C2M long-term token " + adopted.tokenId() + " from " + this.coordinator.getStore()
				+ " in place of " + held.tokenId() + " (expires " + adopted.expiresAt() + ")");
		publish(C2MTokenEvent.Type.LONG_TERM_ADOPTED, adopted.tokenId(), held.tokenId(), null, null);
	}

	private Mono<Void> revokeRetired(String tokenId, LongTermToken authority) {
		return this.client.revoke(tokenId, authority.tokenValue())
			.onErrorResume((ex) -> ex instanceof C2MAuthException auth && auth.getStatus() == 404, (ex) -> Mono.empty())
			.doOnSuccess((done) -> {
				logger.info("Revoked the retired C2M long-term token " + tokenId);
				publish(C2MTokenEvent.Type.TOKEN_REVOKED, tokenId, null, null, null);
			})
			.doOnError((ex) -> {
				C2MAuthException failure = asAuthException(ex, C2MOperation.REVOKE_TOKEN);
				recordFailure(failure);
				logger
					.warn("Could not revoke the retired C2M long-term token " + tokenId + ": " + failure.getMessage());
			});
	}

	// ---------------------------------------------------------------- exchange

	private Mono<ShortTermToken> exchange(Set<String> scopes) {
		return getLongTermToken().flatMap((longTermToken) -> exchange(longTermToken, scopes)
			.onErrorResume(C2MAuthException.class, (ex) -> reissueAndRetry(ex, longTermToken, scopes)));
	}

	private Mono<ShortTermToken> reissueAndRetry(C2MAuthException ex, LongTermToken refused, Set<String> scopes) {
		if (ex.getStatus() != 401) {
			return Mono.error(ex);
		}
		this.coordinator.refused(refused);
		this.longTermTokenSource.invalidate(refused);
		this.unprovenAdoption.compareAndSet(refused, null);
		if (!this.longTermTokenSource.canIssue()) {
			// nothing here can issue another: only a token another instance stored can
			// take its place
			return this.coordinator.storedReplacement().flatMap((stored) -> {
				adopt(refused, LongTermTokenCoordinator.Outcome.adopted(stored));
				return exchange(stored, scopes);
			}).switchIfEmpty(Mono.error(ex));
		}
		logger.warn("The C2M long-term token " + refused.tokenId() + " was refused [" + ex.getCode()
				+ "]; adopting the stored one if another instance replaced it, else issuing one from the configured "
				+ this.longTermTokenSource.description());
		this.longTerm.replace(refused, null);
		return getLongTermToken().flatMap((longTermToken) -> exchange(longTermToken, scopes));
	}

	private Mono<ShortTermToken> exchange(LongTermToken longTermToken, Set<String> scopes) {
		return Mono.defer(() -> {
			Instant requestedAt = this.clock.instant();
			ShortTokenRequest request = scopes.isEmpty() ? ShortTokenRequest.defaultScopes()
					: ShortTokenRequest.narrowedTo(List.copyOf(scopes));
			return this.client.exchange(longTermToken.tokenValue(), request)
				.map((response) -> new ShortTermToken(response.accessToken(), response.tokenId(),
						Set.copyOf(response.scopes()), requestedAt, expiry(response, requestedAt)))
				.doOnNext((token) -> {
					this.exchanges.increment();
					if (this.unprovenAdoption.compareAndSet(longTermToken, null)) {
						this.adoptions.increment();
					}
					if (logger.isDebugEnabled()) {
						logger.debug("Exchanged the C2M long-term token " + longTermToken.tokenId()
								+ " for short-term token " + token.tokenId() + " (scopes " + token.scopes()
								+ ", expires " + token.expiresAt() + ")");
					}
				})
				.doOnError((ex) -> this.exchangeFailures.increment());
		});
	}

	private static Instant expiry(TokenResponse response, Instant requestedAt) {
		Duration life = Duration.ofSeconds(response.expiresIn());
		return requestedAt.plus((life.compareTo(MAX_LIFETIME) > 0) ? MAX_LIFETIME : life);
	}

	// ---------------------------------------------------------------- timing

	private boolean isUsable(C2MToken token, Instant now) {
		if (token.expiresAt() == null) {
			return true;
		}
		Duration life = (token.issuedAt() != null) ? Duration.between(token.issuedAt(), token.expiresAt())
				: this.policy.safetyMargin().multipliedBy(3);
		return now.plus(this.policy.marginFor(life)).isBefore(token.expiresAt());
	}

	private Instant shortTermRefreshAt(ShortTermToken token) {
		double jitter = this.policy.refreshJitter() * (2 * this.random.getAsDouble() - 1);
		return pointOfLife(token, this.policy.refreshAt() + jitter);
	}

	private static Instant pointOfLife(C2MToken token, double fraction) {
		Duration life = Duration.between(token.issuedAt(), token.expiresAt());
		return token.issuedAt().plusMillis((long) (life.toMillis() * fraction));
	}

	/**
	 * Whether a token counts as expired now, that is whether it has no more than the
	 * safety margin left.
	 * @param token the token
	 * @return whether it should no longer be handed out
	 */
	public boolean isExpired(C2MToken token) {
		return !isUsable(token, this.clock.instant());
	}

	// ---------------------------------------------------------------- state

	/**
	 * The scopes used when a caller names none.
	 * @return the default scopes, empty for the long-term token's own
	 */
	public Set<String> getDefaultScopes() {
		return this.defaultScopes;
	}

	/**
	 * The clock that decides expiry.
	 * @return the clock
	 */
	public Clock getClock() {
		return this.clock;
	}

	/**
	 * The policy.
	 * @return the policy
	 */
	public TokenPolicy getPolicy() {
		return this.policy;
	}

	/**
	 * Where the long-term token comes from.
	 * @return the source
	 */
	public LongTermTokenSource getLongTermTokenSource() {
		return this.longTermTokenSource;
	}

	/**
	 * Where the calls of a blocking store run and how long waits may take.
	 * @return the execution settings
	 */
	public TokenExecution getExecution() {
		return this.execution;
	}

	/**
	 * Where the long-term token is kept.
	 * @return the store
	 */
	public LongTermTokenStore getLongTermTokenStore() {
		return this.coordinator.getStore();
	}

	/**
	 * The counters of this manager, as of now.
	 * @return the statistics
	 */
	public Statistics statistics() {
		return new Statistics(this.cacheHits.sum(), this.cacheMisses.sum(), this.exchanges.sum(),
				this.exchangeFailures.sum(), this.issuances.sum(), this.issuanceFailures.sum(), this.adoptions.sum(),
				this.backgroundRefreshes.sum(), this.rotations.sum(), this.rotationFailures.sum(),
				this.rejectedDuringBackoff.sum());
	}

	/**
	 * Whether no token request is in flight (no exchange, issuance or rotation).
	 * @return whether the manager is idle
	 */
	public boolean isIdle() {
		return this.longTerm.isIdle() && this.maintenance.get() == null
				&& this.shortTerm.values().stream().allMatch(Refresher::isIdle);
	}

	/**
	 * The retry state of the default scopes' short-term token.
	 * @return how many attempts failed in a row and when the next one is allowed
	 */
	public RetryState retryState() {
		Refresher<ShortTermToken> refresher = this.shortTerm.get(this.defaultScopes);
		Backoff backoff = (refresher != null) ? refresher.state().backoff() : Backoff.NONE;
		return new RetryState(backoff.failures(), (backoff.failures() > 0) ? backoff.nextAttemptAt() : null);
	}

	/**
	 * The last failure to obtain, rotate or revoke a token, if any happened.
	 * @return the last failure
	 */
	public Optional<Failure> lastFailure() {
		return Optional.ofNullable(this.lastFailure);
	}

	private void recordFailure(C2MAuthException ex) {
		this.lastFailure = new Failure(ex, this.clock.instant());
		publish(C2MTokenEvent.Type.FAILURE, null, null, ex.getOperation(), ex);
	}

	private void publish(C2MTokenEvent.Type type, String tokenId, String previousTokenId, C2MOperation operation,
			C2MAuthException exception) {
		try {
			this.eventListener.accept(new C2MTokenEvent(this, type, tokenId, previousTokenId, operation, exception));
		}
		catch (RuntimeException ex) {
			logger.warn("A C2M token event listener failed on " + type + "; the token manager carries on", ex);
		}
	}

	static C2MAuthException asAuthException(Throwable ex, C2MOperation operation) {
		if (ex instanceof C2MAuthException authException) {
			return authException;
		}
		return new C2MAuthException(operation, 0, C2MAuthException.UNKNOWN_CODE, null, null,
				ex.getClass().getSimpleName(), ex);
	}

	private Set<String> key(Collection<String> scopes) {
		return scopes.isEmpty() ? this.defaultScopes : normalize(scopes);
	}

	private static Set<String> normalize(Collection<String> scopes) {
		TreeSet<String> sorted = new TreeSet<>();
		for (String scope : scopes) {
			Assert.hasText(scope, "a scope must not be empty");
			sorted.add(scope.trim());
		}
		return Set.copyOf(sorted);
	}

	private Backoff backoffAfter(Backoff backoff, C2MAuthException failure, Instant now) {
		return backoff.failed(failure, now, this.policy, this.random.getAsDouble());
	}

	/**
	 * The manager's side of its refreshers.
	 */
	private final class RefresherOwner implements Refresher.Owner {

		@Override
		public Clock clock() {
			return C2MTokenManager.this.clock;
		}

		@Override
		public boolean isUsable(C2MToken token, Instant now) {
			return C2MTokenManager.this.isUsable(token, now);
		}

		@Override
		public Backoff backoffAfter(Backoff backoff, C2MAuthException failure, Instant now) {
			return C2MTokenManager.this.backoffAfter(backoff, failure, now);
		}

		@Override
		public void failed(C2MAuthException failure) {
			recordFailure(failure);
		}

		@Override
		public void rejectedDuringBackoff() {
			C2MTokenManager.this.rejectedDuringBackoff.increment();
		}

		@Override
		public void refreshingInBackground() {
			C2MTokenManager.this.backgroundRefreshes.increment();
		}

	}

	private record Rotation(String clientId, List<String> scopes, Duration ttl) {
	}

	/**
	 * Counters since the manager was created.
	 *
	 * @param cacheHits requests for a short-term token served from the cache
	 * @param cacheMisses requests for a short-term token that found none usable
	 * @param exchanges successful exchanges of the long-term token for a short-term one
	 * @param exchangeFailures failed exchanges
	 * @param issuances long-term tokens issued from the credential
	 * @param issuanceFailures failures to issue a long-term token
	 * @param adoptions long-term tokens taken from the store, where another instance (or
	 * an earlier run) put them, instead of issuing one; a token taken at first need
	 * counts once it has yielded a short-term token (one the server refuses is replaced
	 * and not counted)
	 * @param backgroundRefreshes refreshes started in the background, no caller waiting
	 * @param rotations rotations of the long-term token done by this instance
	 * @param rotationFailures failed rotations
	 * @param rejectedDuringBackoff callers failed at once because no token was usable and
	 * retries were backing off
	 */
	public record Statistics(long cacheHits, long cacheMisses, long exchanges, long exchangeFailures, long issuances,
			long issuanceFailures, long adoptions, long backgroundRefreshes, long rotations, long rotationFailures,
			long rejectedDuringBackoff) {
	}

	/**
	 * Retry state.
	 *
	 * @param consecutiveFailures attempts that failed in a row
	 * @param nextAttemptAt when the next attempt is allowed, or {@code null} when not
	 * backing off
	 */
	public record RetryState(int consecutiveFailures, Instant nextAttemptAt) {
	}

	/**
	 * The last failure.
	 *
	 * @param exception what failed
	 * @param at when, on the manager's clock
	 */
	public record Failure(C2MAuthException exception, Instant at) {
	}

}
