package io.github.c2mspring.autoconfigure;

import java.time.Duration;
import java.util.Locale;

import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.token.TokenExecution;
import io.github.c2mspring.auth.token.TokenPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.scheduler.Scheduler;

import org.jspecify.annotations.Nullable;

/**
 * The token manager's settings made from {@code c2m.auth.*}: its {@link TokenPolicy} and
 * {@link TokenExecution}, and the checks of the timings a fleet sharing a store relies
 * on. Each value is checked where it is read, so that a bad one names its property.
 */
final class C2MTokenSettings {

	private static final Log logger = LogFactory.getLog(C2MTokenSettings.class);

	private C2MTokenSettings() {
	}

	/**
	 * The settings of the starter's token manager, each checked, so that a bad one is
	 * reported when the context starts although the manager is built at its first use.
	 *
	 * @param store the long-term token store
	 * @param lease how long an instance holds the store's lease
	 * @param checkInterval how often the store is looked at
	 * @param policy the refresh, retry and rotation policy
	 * @param storeTimeout how long a store call may take
	 * @param blockingTimeout how long a blocking caller waits
	 */
	record Checked(LongTermTokenStore store, Duration lease, Duration checkInterval, TokenPolicy policy,
			Duration storeTimeout, Duration blockingTimeout) {

		TokenExecution execution(Scheduler storeScheduler) {
			return new TokenExecution(storeScheduler, this.storeTimeout, this.blockingTimeout);
		}

	}

	/**
	 * Check the settings of the token manager.
	 * @param properties the {@code c2m.*} properties
	 * @param store the single store of the context, if there is one
	 * @return the checked settings
	 */
	static Checked check(C2MProperties properties, @Nullable LongTermTokenStore store) {
		C2MProperties.Store settings = properties.getAuth().getStore();
		if (store == null) {
			throw new C2MConfigurationException("c2m.auth.store.type", "no single long-term token store for '"
					+ settings.getType().name().toLowerCase(Locale.ROOT)
					+ "' (the JDBC store needs spring-jdbc and c2m-auth-jdbc on the classpath, the Redis store "
					+ "spring-data-redis and c2m-auth-redis; an application's own LongTermTokenStore bean must be the "
					+ "only one)",
					"For jdbc, add spring-boot-starter-jdbc and a JDBC driver (and c2m-auth-jdbc when not using the "
							+ "starter); for redis, spring-boot-starter-data-redis (and c2m-auth-redis when not using "
							+ "the starter); otherwise set c2m.auth.store.type=memory "
							+ "or define exactly one LongTermTokenStore bean.");
		}
		Duration lease = C2MSettings.checkPositive("c2m.auth.store.lease", settings.getLease(), "1m");
		Duration checkInterval = C2MSettings.checkPositive("c2m.auth.store.check-interval", settings.getCheckInterval(),
				"1m");
		if (!(store instanceof InMemoryLongTermTokenStore)) {
			checkSharedStoreTimings(properties, lease, checkInterval);
		}
		return new Checked(store, lease, checkInterval, policy(properties.getAuth()),
				storeTimeout(properties, store, lease), blockingTimeout(properties, lease));
	}

	/**
	 * A store call must end well within the lease.
	 */
	private static Duration storeTimeout(C2MProperties properties, LongTermTokenStore store, Duration lease) {
		Duration storeTimeout = C2MSettings.checkPositive("c2m.auth.store.timeout",
				properties.getAuth().getStore().getTimeout(), "10s");
		if (store.isBlocking() && storeTimeout.compareTo(lease) >= 0) {
			throw new C2MConfigurationException("c2m.auth.store.timeout",
					"is not shorter than c2m.auth.store.lease (" + storeTimeout + " >= " + lease + "): a store call "
							+ "still running when the lease runs out lets a second instance take it",
					"Set c2m.auth.store.timeout well below c2m.auth.store.lease, for example to "
							+ Math.max(1, lease.dividedBy(6).toSeconds()) + "s.");
		}
		return storeTimeout;
	}

	/**
	 * A blocking caller waits, by default, for an issuance by another instance (up to
	 * twice the lease) and for the issue and exchange calls.
	 */
	private static Duration blockingTimeout(C2MProperties properties, Duration lease) {
		Duration blockingTimeout = properties.getAuth().getBlockingTimeout();
		if (blockingTimeout != null) {
			return C2MSettings.checkPositive("c2m.auth.blocking-timeout", blockingTimeout, "3m");
		}
		Duration callTimeout = properties.getHttp().getCallTimeout();
		return lease.multipliedBy(2).plus((callTimeout != null) ? callTimeout.multipliedBy(2) : Duration.ZERO);
	}

	/**
	 * A store shared by a fleet relies on the lease outlasting the one server call made
	 * under it, and on the other instances looking at the store within the grace period.
	 */
	private static void checkSharedStoreTimings(C2MProperties properties, Duration lease, Duration checkInterval) {
		Duration callTimeout = properties.getHttp().getCallTimeout();
		if (callTimeout != null && lease.compareTo(callTimeout) <= 0) {
			throw new C2MConfigurationException("c2m.auth.store.lease",
					"is not longer than c2m.http.call-timeout (" + lease + " <= " + callTimeout + "): an instance "
							+ "issuing or rotating the fleet's token makes a call to the server under the lease, and "
							+ "a lease that runs out during it lets a second instance do the same",
					"Set c2m.auth.store.lease longer than c2m.http.call-timeout, for example to "
							+ callTimeout.multipliedBy(2).toSeconds() + "s.");
		}
		C2MProperties.Rotation rotation = properties.getAuth().getLongTerm().getRotation();
		if (rotation.isEnabled() && rotation.isRevokePrevious() && rotation.getGracePeriod() != null
				&& rotation.getGracePeriod().compareTo(checkInterval) < 0) {
			logger.warn("c2m.auth.long-term.rotation.grace-period (" + rotation.getGracePeriod() + ") is shorter than "
					+ "c2m.auth.store.check-interval (" + checkInterval + "): after a rotation, other instances may "
					+ "still use the old token when it is revoked (each then recovers through a refused exchange); "
					+ "make the grace period longer than the check interval");
		}
	}

	private static TokenPolicy policy(C2MProperties.Auth auth) {
		C2MProperties.ShortTerm shortTerm = auth.getShortTerm();
		C2MProperties.Rotation rotation = auth.getLongTerm().getRotation();
		double refreshAt = C2MSettings.checkFraction("c2m.auth.short-term.refresh-at", shortTerm.getRefreshAt(), "0.5");
		double jitter = shortTerm.getRefreshJitter();
		if (jitter < 0 || jitter >= Math.min(refreshAt, 1 - refreshAt)) {
			throw new C2MConfigurationException("c2m.auth.short-term.refresh-jitter",
					"must be at least 0 and keep refresh-at +/- refresh-jitter between 0 and 1, not " + jitter,
					"Set c2m.auth.short-term.refresh-jitter to a small fraction such as 0.1.");
		}
		Duration initial = C2MSettings.checkPositive("c2m.auth.retry.initial-backoff",
				auth.getRetry().getInitialBackoff(), "1s");
		Duration max = C2MSettings.checkPositive("c2m.auth.retry.max-backoff", auth.getRetry().getMaxBackoff(), "60s");
		if (max.compareTo(initial) < 0) {
			throw new C2MConfigurationException("c2m.auth.retry.max-backoff",
					"is shorter than c2m.auth.retry.initial-backoff (" + max + " < " + initial + ")",
					"Set c2m.auth.retry.max-backoff to at least c2m.auth.retry.initial-backoff.");
		}
		return TokenPolicy.defaults()
			.withSafetyMargin(C2MSettings.checkNotNegative("c2m.auth.clock-skew", auth.getClockSkew(), "60s"))
			.withRefresh(refreshAt, jitter)
			.withBackoff(initial, max)
			.withRotation(rotation.isEnabled(),
					C2MSettings.checkFraction("c2m.auth.long-term.rotation.rotate-at", rotation.getRotateAt(), "0.5"),
					(rotation.getRotateBefore() != null) ? C2MSettings.checkNotNegative(
							"c2m.auth.long-term.rotation.rotate-before", rotation.getRotateBefore(), "7d") : null,
					rotation.isRevokePrevious())
			.withRevokeGrace(C2MSettings.checkNotNegative("c2m.auth.long-term.rotation.grace-period",
					rotation.getGracePeriod(), "5m"));
	}

}
