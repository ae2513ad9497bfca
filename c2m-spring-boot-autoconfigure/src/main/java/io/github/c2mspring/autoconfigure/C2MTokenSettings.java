package io.github.c2mspring.autoconfigure;

import java.time.Duration;

import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.token.TokenExecution;
import io.github.c2mspring.auth.token.TokenPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.scheduler.Scheduler;

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
	 * How long a store call and a blocking caller may wait: a store call must end well
	 * within the lease, and a blocking caller waits, by default, for an issuance by
	 * another instance (up to twice the lease) and for the issue and exchange calls.
	 */
	static TokenExecution execution(C2MProperties properties, LongTermTokenStore store, Duration lease,
			Scheduler storeScheduler) {
		Duration storeTimeout = C2MSettings.checkPositive("c2m.auth.store.timeout",
				properties.getAuth().getStore().getTimeout(), "10s");
		if (store.isBlocking() && storeTimeout.compareTo(lease) >= 0) {
			throw new C2MConfigurationException("c2m.auth.store.timeout",
					"is not shorter than c2m.auth.store.lease (" + storeTimeout + " >= " + lease + "): a store call "
							+ "still running when the lease runs out lets a second instance take it",
					"Set c2m.auth.store.timeout well below c2m.auth.store.lease, for example to "
							+ Math.max(1, lease.dividedBy(6).toSeconds()) + "s.");
		}
		Duration blockingTimeout = properties.getAuth().getBlockingTimeout();
		if (blockingTimeout != null) {
			C2MSettings.checkPositive("c2m.auth.blocking-timeout", blockingTimeout, "3m");
		}
		else {
			Duration callTimeout = properties.getHttp().getCallTimeout();
			blockingTimeout = lease.multipliedBy(2)
				.plus((callTimeout != null) ? callTimeout.multipliedBy(2) : Duration.ZERO);
		}
		return new TokenExecution(storeScheduler, storeTimeout, blockingTimeout);
	}

	/**
	 * A store shared by a fleet relies on the lease outlasting the one server call made
	 * under it, and on the other instances looking at the store within the grace period.
	 */
	static void checkSharedStoreTimings(C2MProperties properties, Duration lease, Duration checkInterval) {
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

	static TokenPolicy policy(C2MProperties.Auth auth) {
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
