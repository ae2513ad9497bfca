package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.C2MToken;

/**
 * What the parts of one {@link C2MTokenManager} share: its clock, its expiry and retry
 * rules, the randomness of its jitter, its events and its counters. It is also the side
 * of the manager its {@link Refresher refreshers} see.
 */
final class TokenRules implements RefresherOwner {

	private final TokenClock clock;

	private final TokenPolicy policy;

	private final DoubleSupplier random;

	private final TokenEvents events;

	private final TokenStatistics statistics;

	TokenRules(TokenClock clock, TokenPolicy policy, DoubleSupplier random, TokenEvents events,
			TokenStatistics statistics) {
		this.clock = clock;
		this.policy = policy;
		this.random = random;
		this.events = events;
		this.statistics = statistics;
	}

	TokenClock tokenClock() {
		return this.clock;
	}

	TokenPolicy policy() {
		return this.policy;
	}

	TokenEvents events() {
		return this.events;
	}

	TokenStatistics statistics() {
		return this.statistics;
	}

	double random() {
		return this.random.getAsDouble();
	}

	/**
	 * Whether a token has more than the safety margin left now.
	 * @param token the token
	 * @return whether it may be handed out
	 */
	boolean isUsable(C2MToken token) {
		return this.clock.nanos() < usableUntil(token);
	}

	@Override
	public Clock clock() {
		return this.clock.clock();
	}

	@Override
	public long now() {
		return this.clock.nanos();
	}

	/**
	 * The first instant at which a token no longer has more than the safety margin left:
	 * its expiry less the margin, which is capped at a third of its life (a token without
	 * an issue time counts as three margins long). A token without an expiry is usable
	 * for ever.
	 */
	@Override
	public long usableUntil(C2MToken token) {
		Instant expiresAt = token.expiresAt();
		if (expiresAt == null) {
			return Long.MAX_VALUE;
		}
		Instant issuedAt = token.issuedAt();
		Duration life = (issuedAt != null) ? Duration.between(issuedAt, expiresAt)
				: this.policy.safetyMargin().multipliedBy(3);
		return TokenClock.toNanos(expiresAt.minus(this.policy.marginFor(life)));
	}

	@Override
	public Backoff backoffAfter(Backoff backoff, C2MAuthException failure, Instant now) {
		return backoff.failed(failure, now, this.policy, this.random.getAsDouble());
	}

	@Override
	public void failed(C2MAuthException failure) {
		this.events.failed(failure);
	}

	@Override
	public void rejectedDuringBackoff() {
		this.statistics.rejectedDuringBackoff.increment();
	}

	@Override
	public void refreshingInBackground() {
		this.statistics.backgroundRefreshes.increment();
	}

	/**
	 * A failure as the one exception type the manager reports, carrying the server's
	 * answer when there was one.
	 * @param ex the failure
	 * @param operation what failed
	 * @return the failure as a {@link C2MAuthException}
	 */
	static C2MAuthException asAuthException(Throwable ex, C2MOperation operation) {
		if (ex instanceof C2MAuthException authException) {
			return authException;
		}
		return new C2MAuthException(operation, 0, C2MAuthException.UNKNOWN_CODE, null, null,
				ex.getClass().getSimpleName(), ex);
	}

}
