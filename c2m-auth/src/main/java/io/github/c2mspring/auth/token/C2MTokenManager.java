package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.C2MToken;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * Holds the long-term token and the short-term tokens exchanged from it, one per scope
 * set, and keeps them fresh; built once, by {@link #builder}, and immutable. Its
 * guarantees:
 * <ul>
 * <li><b>One request per need.</b> Every caller that finds the same token missing joins
 * the one request in flight (per scope set, and for the long-term token) and gets the
 * same token or the same {@link C2MAuthException}.</li>
 * <li><b>No caller waits after warm-up.</b> A token is served without a lock, and without
 * allocating, while it has more than the safety margin left. From its
 * {@link RefreshPolicy refresh point} (by default half-way, &plusmn;10% jitter) the first
 * caller starts a replacement in the background and is served the current token, as is
 * everyone until the replacement lands.</li>
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
 * <li><b>The long-term token rotates itself</b> at its rotation point (when
 * {@link C2MTokenManagerBuilder#rotation rotation} is set), through
 * {@code POST /auth/tokens/long} authorized by a short-term token with
 * {@code tokens:write}, in a single flight; exchanges switch to the new token atomically
 * and the previous one is revoked after a grace period.</li>
 * <li><b>The long-term token lives in a {@link LongTermTokenStore}</b> (in memory unless
 * {@link C2MTokenManagerBuilder#longTermTokenStore set}): instances sharing a store adopt
 * the stored token instead of issuing one, issue and rotate it once for all of them,
 * check the store at least every check interval, and revoke a rotated-out token once its
 * grace period is over; see {@link LongTermTokenCoordinator}.</li>
 * </ul>
 */
public final class C2MTokenManager {

	private static final Log logger = LogFactory.getLog(C2MTokenManager.class);

	/** The default lease of the long-term token store. */
	public static final Duration DEFAULT_LEASE = Duration.ofMinutes(1);

	/** The default interval between checks of the long-term token store. */
	public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(1);

	/** The name of the account of a manager whose builder was given none. */
	public static final String DEFAULT_NAME = "default";

	private final String name;

	private final C2MAuthClient client;

	private final LongTermTokenSource longTermTokenSource;

	private final TokenExecution execution;

	private final TokenRules rules;

	private final LongTermMaintainer longTerm;

	private final ShortTermTokenCache shortTerm;

	private final C2MTokenDiagnostics diagnostics;

	private final C2MTokenEvictions evictions;

	C2MTokenManager(DefaultC2MTokenManagerBuilder builder) {
		this.name = builder.name;
		this.client = builder.client;
		this.longTermTokenSource = builder.longTermTokenSource;
		this.execution = builder.executionOrDefault();
		TokenClock clock = new TokenClock(builder.clockOrDefault());
		this.rules = new TokenRules(clock, builder.policy, builder.random,
				new TokenEvents(this, this.name, builder.eventListeners, clock), new TokenStatistics());
		RefreshPolicy refreshPolicy = (builder.refreshPolicy != null) ? builder.refreshPolicy : RefreshPolicy
			.fractionOfLife(builder.policy.refreshAt(), builder.policy.refreshJitter(), builder.random);
		this.longTerm = new LongTermMaintainer(this.client, this.longTermTokenSource, builder.storeSettings(),
				builder.rotation, this.execution, this.rules,
				() -> getShortTermToken(Set.of(LongTermRotation.TOKENS_WRITE)));
		ShortTermExchange exchange = new ShortTermExchange(this.client, this.longTerm, this.rules);
		this.shortTerm = new ShortTermTokenCache(ShortTermTokenCache.normalize(builder.defaultScopes),
				(scopes) -> new Refresher<>(C2MOperation.EXCHANGE_SHORT_TERM_TOKEN, () -> exchange.exchange(scopes),
						refreshPolicy::refreshAt, this.rules),
				builder.maxScopeSets);
		this.diagnostics = new C2MTokenDiagnostics(this.rules, this.longTerm, this.shortTerm);
		this.evictions = new C2MTokenEvictions(this.client, this.rules, this.longTerm, this.shortTerm);
	}

	/**
	 * A builder of a manager.
	 * @param client the auth client
	 * @param longTermTokenSource where the long-term token comes from
	 * @return the builder
	 */
	public static C2MTokenManagerBuilder builder(C2MAuthClient client, LongTermTokenSource longTermTokenSource) {
		return new DefaultC2MTokenManagerBuilder(client, longTermTokenSource);
	}

	/**
	 * The name of the account this manager serves.
	 * @return the name, {@value #DEFAULT_NAME} unless the builder was given one
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * A short-term token for the default scopes, with more than the safety margin left.
	 * @return the token
	 */
	public Mono<ShortTermToken> getShortTermToken() {
		return getShortTermToken(this.shortTerm.defaultScopes());
	}

	/**
	 * A short-term token for a scope set, with more than the safety margin left.
	 * @param scopes the scopes (empty for the default scopes)
	 * @return the token
	 */
	public Mono<ShortTermToken> getShortTermToken(Collection<String> scopes) {
		Assert.notNull(scopes, "scopes must not be null");
		Refresher<ShortTermToken> refresher = this.shortTerm.refresher(scopes);
		ShortTermToken cached = cached(refresher);
		return (cached != null) ? Mono.just(cached) : Mono.fromFuture(refresher::obtain, true);
	}

	/**
	 * A short-term token for the default scopes, for a caller that may block (see
	 * {@link #getShortTermTokenBlocking(Collection)}).
	 * @return the token
	 */
	public ShortTermToken getShortTermTokenBlocking() {
		return getShortTermTokenBlocking(this.shortTerm.defaultScopes());
	}

	/**
	 * A short-term token for a scope set, for a caller that may block: served from the
	 * cache without touching Reactor, and without allocating, when one is usable;
	 * otherwise obtained and waited for, at most the
	 * {@link TokenExecution#getBlockingTimeout() blocking timeout}.
	 * @param scopes the scopes (empty for the default scopes)
	 * @return the token
	 * @throws C2MAuthException the failure, or the end of the wait
	 */
	public ShortTermToken getShortTermTokenBlocking(Collection<String> scopes) {
		Assert.notNull(scopes, "scopes must not be null");
		Refresher<ShortTermToken> refresher = this.shortTerm.refresher(scopes);
		ShortTermToken cached = cached(refresher);
		return (cached != null) ? cached
				: this.execution.await(refresher.obtain(), C2MOperation.EXCHANGE_SHORT_TERM_TOKEN);
	}

	private @Nullable ShortTermToken cached(Refresher<ShortTermToken> refresher) {
		ShortTermToken cached = refresher.usableToken(this.rules.now());
		(cached != null ? this.rules.statistics().cacheHits : this.rules.statistics().cacheMisses).increment();
		return cached;
	}

	/**
	 * The long-term token, obtained if none is usable (adopted from the store, or issued
	 * from the source). When the token has reached its rotation point, or the check
	 * interval has passed, starts a rotation or a check of the store in the background.
	 * @return the long-term token
	 */
	public Mono<LongTermToken> getLongTermToken() {
		return this.longTerm.get();
	}

	/**
	 * Revoke the long-term token that a rotation retired, now, without waiting for its
	 * grace period. For an application that is the only user of its store (the in-memory
	 * one) and is stopping: no instance would be left to revoke it when the grace period
	 * ends. Failures are logged, not thrown.
	 * @return whether a retired token was revoked (or given up on)
	 */
	public Mono<Boolean> revokeRetiredLongTermToken() {
		return this.longTerm.coordinator().revokeRetiredNow().onErrorResume((ex) -> {
			logger.warn("Could not revoke the retired C2M long-term token: " + ex.getMessage());
			return Mono.just(false);
		});
	}

	/**
	 * Look after the held long-term token now: rotate it if due, otherwise check the
	 * store (adopt a token another instance stored, revoke a retired token whose grace
	 * period is over). Joins the check or rotation in flight, if any. Does nothing while
	 * no token is held. Failures are recorded and published, not thrown.
	 * @return completion
	 */
	public Mono<Void> checkLongTermToken() {
		return this.longTerm.checkNow();
	}

	/**
	 * Whether a token counts as expired now, that is whether it has no more than the
	 * safety margin left.
	 * @param token the token
	 * @return whether it should no longer be handed out
	 */
	public boolean isExpired(C2MToken token) {
		return !this.rules.isUsable(token);
	}

	/**
	 * The scopes used when a caller names none.
	 * @return the default scopes, empty for the long-term token's own
	 */
	public Set<String> getDefaultScopes() {
		return this.shortTerm.defaultScopes();
	}

	/**
	 * The clock that decides expiry.
	 * @return the clock
	 */
	public Clock getClock() {
		return this.rules.clock();
	}

	/**
	 * The policy.
	 * @return the policy
	 */
	public TokenPolicy getPolicy() {
		return this.rules.policy();
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
		return this.longTerm.store();
	}

	/**
	 * What this manager holds and has done (tokens held, counters, retry state, last
	 * failure), read without obtaining anything.
	 * @return the diagnostics
	 */
	public C2MTokenDiagnostics diagnostics() {
		return this.diagnostics;
	}

	/**
	 * Eviction of tokens the API refused or that were revoked, and revocation of the
	 * short-term tokens held.
	 * @return the evictions
	 */
	public C2MTokenEvictions evictions() {
		return this.evictions;
	}

	Clock storeClock() {
		return this.rules.tokenClock().storeClock();
	}

}
