package io.github.c2mspring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

import io.github.c2mspring.auth.C2MToken;
import io.github.c2mspring.auth.token.C2MTokenDiagnostics.Statistics;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;

/**
 * The token meters of a {@link C2MTokenManager}:
 * <ul>
 * <li>{@code c2m.token.remaining} (gauge, seconds, tag {@code type} = {@code long-term}
 * or {@code short-term}): time left on the long-term token and on the short-term token of
 * the default scopes (NaN when none is held or its expiry is unknown);</li>
 * <li>{@code c2m.token.cache.requests} (counter, tag {@code result} = {@code hit} or
 * {@code miss}): requests for a short-term token served from the cache or not;</li>
 * <li>{@code c2m.token.exchanges} (counter, tag {@code outcome} = {@code success} or
 * {@code failure}): exchanges of the long-term token for a short-term one;</li>
 * <li>{@code c2m.token.issuances} (counter, tag {@code outcome}): long-term tokens
 * issued;</li>
 * <li>{@code c2m.token.adoptions} (counter, tag {@code source} = {@code store}):
 * long-term tokens taken from the store instead of issued (another instance issued or
 * rotated them, or an earlier run stored them);</li>
 * <li>{@code c2m.token.refreshes} (counter, tag {@code mode} = {@code background}):
 * short-term tokens replaced before they were needed;</li>
 * <li>{@code c2m.token.rotations} (counter, tag {@code outcome}): long-term token
 * rotations;</li>
 * <li>{@code c2m.token.rejections} (counter, tag {@code reason} = {@code backoff}):
 * callers failed at once because no token was usable while retries backed off.</li>
 * </ul>
 * No tag ever carries a token, a token id or a secret.
 */
public class C2MTokenMetrics implements MeterBinder {

	/**
	 * The tag every meter carries: the name of the account
	 * ({@link C2MTokenManager#getName()}, {@code default} for the one {@code c2m.*}
	 * configures).
	 */
	public static final String CLIENT_TAG = "client";

	private final C2MTokenManager tokenManager;

	/**
	 * Create the meters' binder.
	 * @param tokenManager the token manager
	 */
	public C2MTokenMetrics(C2MTokenManager tokenManager) {
		Assert.notNull(tokenManager, "tokenManager must not be null");
		this.tokenManager = tokenManager;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge
			.builder("c2m.token.remaining", this.tokenManager,
					(manager) -> remainingSeconds(manager.diagnostics().currentLongTermToken()))
			.description("Seconds left before the long-term token expires")
			.baseUnit("seconds")
			.tag("type", "long-term")
			.tag(CLIENT_TAG, this.tokenManager.getName())
			.register(registry);
		Gauge
			.builder("c2m.token.remaining", this.tokenManager,
					(manager) -> remainingSeconds(manager.diagnostics().currentShortTermToken(Set.of())))
			.description("Seconds left before the short-term token of the default scopes expires")
			.baseUnit("seconds")
			.tag("type", "short-term")
			.tag(CLIENT_TAG, this.tokenManager.getName())
			.register(registry);
		counter(registry, "c2m.token.cache.requests", "result", "hit",
				"Short-term token requests served from the cache", Statistics::cacheHits);
		counter(registry, "c2m.token.cache.requests", "result", "miss",
				"Short-term token requests that needed a new token", Statistics::cacheMisses);
		counter(registry, "c2m.token.exchanges", "outcome", "success", "Exchanges of the long-term token",
				Statistics::exchanges);
		counter(registry, "c2m.token.exchanges", "outcome", "failure", "Exchanges of the long-term token",
				Statistics::exchangeFailures);
		counter(registry, "c2m.token.issuances", "outcome", "success", "Long-term tokens issued",
				Statistics::issuances);
		counter(registry, "c2m.token.issuances", "outcome", "failure", "Long-term tokens issued",
				Statistics::issuanceFailures);
		counter(registry, "c2m.token.adoptions", "source", "store",
				"Long-term tokens taken from the store (stored by another instance or an earlier run) instead of issued",
				Statistics::adoptions);
		counter(registry, "c2m.token.refreshes", "mode", "background",
				"Short-term tokens replaced in the background, no caller waiting", Statistics::backgroundRefreshes);
		counter(registry, "c2m.token.rotations", "outcome", "success", "Rotations of the long-term token",
				Statistics::rotations);
		counter(registry, "c2m.token.rotations", "outcome", "failure", "Rotations of the long-term token",
				Statistics::rotationFailures);
		counter(registry, "c2m.token.rejections", "reason", "backoff",
				"Callers failed at once: no usable token while retries back off", Statistics::rejectedDuringBackoff);
	}

	private void counter(MeterRegistry registry, String name, String tag, String value, String description,
			ToLongFunction<Statistics> count) {
		FunctionCounter
			.builder(name, this.tokenManager, (manager) -> count.applyAsLong(manager.diagnostics().statistics()))
			.description(description)
			.tag(tag, value)
			.tag(CLIENT_TAG, this.tokenManager.getName())
			.register(registry);
	}

	private double remainingSeconds(Optional<? extends C2MToken> token) {
		Instant now = this.tokenManager.getClock().instant();
		Duration remaining = token.map((t) -> t.remaining(now)).orElse(null);
		return (remaining != null) ? Math.max(0, remaining.toMillis() / 1000.0) : Double.NaN;
	}

}
