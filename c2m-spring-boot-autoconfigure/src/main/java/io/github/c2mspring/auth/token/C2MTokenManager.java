package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.model.ShortTokenRequest;
import io.github.c2mspring.auth.model.ShortTokenResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * Holds the long-term token and the short-term tokens exchanged from it, one per scope set, and
 * obtains new ones when they are missing or about to expire.
 * <p>
 * A token still valid for longer than the clock skew is returned without any lock or remote
 * call. Otherwise one request is made per need: every caller that finds the same token missing
 * or expiring joins the one request in flight (for the long-term token as for each scope set),
 * and they all get the same token or the same {@link C2MAuthException}. A failure is never cached
 * as if it were a token: the next caller tries again.
 * <p>
 * When an exchange is refused because the long-term token is no longer valid (revoked or
 * expired, HTTP 401) and a credential that can issue a new one is configured, the long-term token
 * is issued again, once for all callers, and the exchange is repeated once.
 */
public final class C2MTokenManager {

	private static final Log logger = LogFactory.getLog(C2MTokenManager.class);

	private final C2MAuthClient client;

	private final LongTermTokenSource longTermTokenSource;

	private final Set<String> defaultScopes;

	private final Clock clock;

	private final Duration clockSkew;

	private final AtomicReference<LongTermToken> longTermToken = new AtomicReference<>();

	private final AtomicReference<CompletableFuture<LongTermToken>> longTermInFlight = new AtomicReference<>();

	private final Map<Set<String>, Slot> shortTermTokens = new ConcurrentHashMap<>();

	private final LongAdder cacheHits = new LongAdder();

	private final LongAdder cacheMisses = new LongAdder();

	private final LongAdder exchanges = new LongAdder();

	private final LongAdder exchangeFailures = new LongAdder();

	private final LongAdder issuances = new LongAdder();

	private final LongAdder issuanceFailures = new LongAdder();

	private volatile Failure lastFailure;

	/**
	 * Create a manager.
	 * @param client the auth client
	 * @param longTermTokenSource where the long-term token comes from
	 * @param defaultScopes the scopes of a short-term token when a caller names none (empty for
	 * the long-term token's own scopes)
	 * @param clock the clock that decides expiry
	 * @param clockSkew how long before its expiry a token is replaced
	 */
	public C2MTokenManager(C2MAuthClient client, LongTermTokenSource longTermTokenSource,
			Collection<String> defaultScopes, Clock clock, Duration clockSkew) {
		Assert.notNull(client, "client must not be null");
		Assert.notNull(longTermTokenSource, "longTermTokenSource must not be null");
		Assert.notNull(defaultScopes, "defaultScopes must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(clockSkew, "clockSkew must not be null");
		Assert.isTrue(!clockSkew.isNegative(), "clockSkew must not be negative");
		this.client = client;
		this.longTermTokenSource = longTermTokenSource;
		this.defaultScopes = normalize(defaultScopes);
		this.clock = clock;
		this.clockSkew = clockSkew;
	}

	/**
	 * A short-term token for the default scopes, valid for longer than the clock skew.
	 * @return the token
	 */
	public Mono<ShortTermToken> getShortTermToken() {
		return getShortTermToken(this.defaultScopes);
	}

	/**
	 * A short-term token for a scope set, valid for longer than the clock skew.
	 * @param scopes the scopes (empty for the default scopes)
	 * @return the token
	 */
	public Mono<ShortTermToken> getShortTermToken(Collection<String> scopes) {
		Assert.notNull(scopes, "scopes must not be null");
		Set<String> key = scopes.isEmpty() ? this.defaultScopes : normalize(scopes);
		Slot slot = this.shortTermTokens.computeIfAbsent(key, Slot::new);
		ShortTermToken cached = slot.token;
		if (cached != null && !cached.isExpired(this.clock.instant(), this.clockSkew)) {
			this.cacheHits.increment();
			return Mono.just(cached);
		}
		this.cacheMisses.increment();
		return Mono.fromFuture(() -> slot.refresh(cached), true);
	}

	/**
	 * The long-term token, obtained from its source if none is held or it is about to expire.
	 * @return the long-term token
	 */
	public Mono<LongTermToken> getLongTermToken() {
		LongTermToken current = this.longTermToken.get();
		if (current != null && !current.isExpired(this.clock.instant(), this.clockSkew)) {
			return Mono.just(current);
		}
		return Mono.fromFuture(() -> singleFlight(this.longTermInFlight, () -> validLongTermToken(current),
				this::obtainLongTermToken), true);
	}

	/**
	 * The long-term token held now, without obtaining one.
	 * @return the token, if one is held
	 */
	public Optional<LongTermToken> currentLongTermToken() {
		return Optional.ofNullable(this.longTermToken.get());
	}

	/**
	 * The short-term token held now for a scope set, without obtaining one; it may be expired.
	 * @param scopes the scopes (empty for the default scopes)
	 * @return the token, if one is held
	 */
	public Optional<ShortTermToken> currentShortTermToken(Collection<String> scopes) {
		Set<String> key = scopes.isEmpty() ? this.defaultScopes : normalize(scopes);
		Slot slot = this.shortTermTokens.get(key);
		return Optional.ofNullable((slot != null) ? slot.token : null);
	}

	/**
	 * Every short-term token held now, by scope set.
	 * @return the tokens
	 */
	public Map<Set<String>, ShortTermToken> currentShortTermTokens() {
		return this.shortTermTokens.values()
			.stream()
			.filter((slot) -> slot.token != null)
			.collect(Collectors.toUnmodifiableMap((slot) -> slot.scopes, (slot) -> slot.token));
	}

	/**
	 * Whether a token counts as expired now, that is whether it expires within the clock skew.
	 * @param token the token
	 * @return whether it should no longer be used
	 */
	public boolean isExpired(ShortTermToken token) {
		return token.isExpired(this.clock.instant(), this.clockSkew);
	}

	/**
	 * Forget a short-term token the API refused (for example with a 401), so that the next caller
	 * obtains a new one. Does nothing if another token has replaced it already.
	 * @param scopes the scopes it was obtained for (empty for the default scopes)
	 * @param tokenValue the value of the refused token, or {@code null} for whatever is held
	 */
	public void evict(Collection<String> scopes, String tokenValue) {
		Set<String> key = scopes.isEmpty() ? this.defaultScopes : normalize(scopes);
		Slot slot = this.shortTermTokens.get(key);
		if (slot != null) {
			slot.evict(tokenValue);
		}
	}

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
	 * Where the long-term token comes from.
	 * @return the source
	 */
	public LongTermTokenSource getLongTermTokenSource() {
		return this.longTermTokenSource;
	}

	/**
	 * The counters of this manager, as of now.
	 * @return the statistics
	 */
	public Statistics statistics() {
		return new Statistics(this.cacheHits.sum(), this.cacheMisses.sum(), this.exchanges.sum(),
				this.exchangeFailures.sum(), this.issuances.sum(), this.issuanceFailures.sum());
	}

	/**
	 * The last failure to obtain a token, if any happened.
	 * @return the last failure
	 */
	public Optional<Failure> lastFailure() {
		return Optional.ofNullable(this.lastFailure);
	}

	private LongTermToken validLongTermToken(LongTermToken seen) {
		LongTermToken current = this.longTermToken.get();
		return (current != null && current != seen && !current.isExpired(this.clock.instant(), this.clockSkew))
				? current : null;
	}

	private Mono<LongTermToken> obtainLongTermToken() {
		LongTermToken previous = this.longTermToken.get();
		if (previous != null && !this.longTermTokenSource.canIssue()) {
			return Mono.error(new C2MAuthException(C2MOperation.ISSUE_LONG_TERM_TOKEN, 0, "long_term_token_expired",
					null, null, "the long-term token expired at " + previous.expiresAt() + " and the configured "
							+ this.longTermTokenSource.description() + " cannot issue another; configure a new one",
					null));
		}
		boolean issuing = this.longTermTokenSource.canIssue();
		return this.longTermTokenSource.obtain().doOnNext((token) -> {
			this.longTermToken.set(token);
			if (issuing) {
				this.issuances.increment();
			}
			logger.info("Obtained C2M long-term token " + token.tokenId() + " (from " + this.longTermTokenSource.description()
					+ ", scopes " + token.scopes() + ", expires " + token.expiresAt() + ")");
		}).doOnError((ex) -> {
			this.issuanceFailures.increment();
			recordFailure(ex);
		});
	}

	private Mono<ShortTermToken> exchange(Set<String> scopes) {
		return getLongTermToken().flatMap((longTerm) -> exchange(longTerm, scopes)
			.onErrorResume(C2MAuthException.class, (ex) -> reissueAndRetry(ex, longTerm, scopes)));
	}

	private Mono<ShortTermToken> reissueAndRetry(C2MAuthException ex, LongTermToken refused, Set<String> scopes) {
		if (ex.getStatus() != 401 || !this.longTermTokenSource.canIssue()) {
			return Mono.error(ex);
		}
		logger.warn("The C2M long-term token " + refused.tokenId() + " was refused [" + ex.getCode()
				+ "]; issuing a new one from the configured " + this.longTermTokenSource.description());
		this.longTermToken.compareAndSet(refused, null);
		return getLongTermToken().flatMap((longTerm) -> exchange(longTerm, scopes));
	}

	private Mono<ShortTermToken> exchange(LongTermToken longTerm, Set<String> scopes) {
		return Mono.defer(() -> {
			Instant requestedAt = this.clock.instant();
			ShortTokenRequest request = scopes.isEmpty() ? ShortTokenRequest.defaultScopes()
					: ShortTokenRequest.narrowedTo(scopes.stream().toList());
			return this.client.exchange(longTerm.tokenValue(), request)
				.map((response) -> toToken(response, requestedAt))
				.doOnNext((token) -> {
					this.exchanges.increment();
					if (logger.isDebugEnabled()) {
						logger.debug("Exchanged the C2M long-term token " + longTerm.tokenId()
								+ " for short-term token " + token.tokenId() + " (scopes " + token.scopes()
								+ ", expires " + token.expiresAt() + ")");
					}
				})
				.doOnError((ex) -> {
					this.exchangeFailures.increment();
					recordFailure(ex);
				});
		});
	}

	private static ShortTermToken toToken(ShortTokenResponse response, Instant requestedAt) {
		return new ShortTermToken(response.accessToken(), response.tokenId(), Set.copyOf(response.scopes()),
				requestedAt, requestedAt.plusSeconds(response.expiresIn()));
	}

	private void recordFailure(Throwable ex) {
		if (ex instanceof C2MAuthException authException) {
			this.lastFailure = new Failure(authException, this.clock.instant());
		}
	}

	private static <T> CompletableFuture<T> singleFlight(AtomicReference<CompletableFuture<T>> inFlight,
			Supplier<T> alreadyDone, Supplier<Mono<T>> work) {
		while (true) {
			CompletableFuture<T> running = inFlight.get();
			if (running != null) {
				return running;
			}
			T done = alreadyDone.get();
			if (done != null) {
				return CompletableFuture.completedFuture(done);
			}
			CompletableFuture<T> future = new CompletableFuture<>();
			if (inFlight.compareAndSet(null, future)) {
				Mono<T> mono;
				try {
					mono = work.get();
				}
				catch (RuntimeException ex) {
					mono = Mono.error(ex);
				}
				mono.subscribe((value) -> {
					inFlight.set(null);
					future.complete(value);
				}, (ex) -> {
					inFlight.set(null);
					future.completeExceptionally(ex);
				}, () -> {
					if (!future.isDone()) {
						inFlight.set(null);
						future.completeExceptionally(new IllegalStateException("no token was produced"));
					}
				});
				return future;
			}
		}
	}

	private static Set<String> normalize(Collection<String> scopes) {
		TreeSet<String> sorted = new TreeSet<>();
		for (String scope : scopes) {
			Assert.hasText(scope, "a scope must not be empty");
			sorted.add(scope.trim());
		}
		return Set.copyOf(sorted);
	}

	/**
	 * The short-term token of one scope set and the exchange in flight for it, if any.
	 */
	private final class Slot {

		private final Set<String> scopes;

		private final AtomicReference<CompletableFuture<ShortTermToken>> inFlight = new AtomicReference<>();

		private volatile ShortTermToken token;

		Slot(Set<String> scopes) {
			this.scopes = scopes;
		}

		CompletableFuture<ShortTermToken> refresh(ShortTermToken seen) {
			return singleFlight(this.inFlight, () -> fresherThan(seen),
					() -> exchange(this.scopes).doOnNext((fresh) -> this.token = fresh));
		}

		private ShortTermToken fresherThan(ShortTermToken seen) {
			ShortTermToken current = this.token;
			return (current != null && current != seen && !isExpired(current)) ? current : null;
		}

		void evict(String tokenValue) {
			ShortTermToken current = this.token;
			if (current != null && (tokenValue == null || current.tokenValue().equals(tokenValue))) {
				this.token = null;
			}
		}

	}

	/**
	 * Counters since the manager was created.
	 *
	 * @param cacheHits requests for a short-term token served from the cache
	 * @param cacheMisses requests for a short-term token that needed a new one
	 * @param exchanges successful exchanges of the long-term token for a short-term one
	 * @param exchangeFailures failed exchanges
	 * @param issuances long-term tokens obtained
	 * @param issuanceFailures failures to obtain a long-term token
	 */
	public record Statistics(long cacheHits, long cacheMisses, long exchanges, long exchangeFailures, long issuances,
			long issuanceFailures) {
	}

	/**
	 * The last failure to obtain a token.
	 *
	 * @param exception what failed
	 * @param at when, on the manager's clock
	 */
	public record Failure(C2MAuthException exception, Instant at) {
	}

}
