package io.github.c2mspring.auth.token;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * When the {@link C2MTokenManager} replaces tokens and how it retries.
 *
 * @param safetyMargin the least time a token handed out has left; a token closer to its
 * expiry is not used (capped at a third of a token's life, so a short-lived token stays
 * usable)
 * @param refreshAt the point of a short-term token's life at which it is replaced in the
 * background (0.5 for half-way)
 * @param refreshJitter the spread around {@code refreshAt}, as a fraction of the life
 * (0.1 for &plusmn;10%), so that a fleet started together spreads its refreshes
 * @param initialBackoff the first retry delay after a failure
 * @param maxBackoff the cap of the retry delay (full jitter, doubling per failure)
 * @param rotation whether the long-term token rotates itself before it expires
 * @param rotateAt the point of the long-term token's life at which it rotates
 * @param rotateBefore if set, rotate this long before expiry instead of at
 * {@code rotateAt}
 * @param revokeAfterRotation whether the previous long-term token is revoked after a
 * rotation
 * @param revokeGrace how long the previous long-term token stays valid after a rotation
 * before it is revoked, so that instances still using it finish their exchanges and pick
 * up the new one
 */
public record TokenPolicy(Duration safetyMargin, double refreshAt, double refreshJitter, Duration initialBackoff,
		Duration maxBackoff, boolean rotation, double rotateAt, @Nullable Duration rotateBefore,
		boolean revokeAfterRotation, Duration revokeGrace) {

	public TokenPolicy {
		Assert.notNull(safetyMargin, "safetyMargin must not be null");
		Assert.isTrue(!safetyMargin.isNegative(), "safetyMargin must not be negative");
		Assert.isTrue(refreshAt > 0 && refreshAt < 1, "refreshAt must be between 0 and 1 (exclusive)");
		Assert.isTrue(refreshJitter >= 0 && refreshJitter < Math.min(refreshAt, 1 - refreshAt),
				"refreshJitter must be at least 0 and keep refreshAt +/- refreshJitter within (0, 1)");
		Assert.notNull(initialBackoff, "initialBackoff must not be null");
		Assert.notNull(maxBackoff, "maxBackoff must not be null");
		Assert.isTrue(!initialBackoff.isNegative() && !initialBackoff.isZero(), "initialBackoff must be positive");
		Assert.isTrue(maxBackoff.compareTo(initialBackoff) >= 0, "maxBackoff must not be less than initialBackoff");
		Assert.isTrue(rotateAt > 0 && rotateAt < 1, "rotateAt must be between 0 and 1 (exclusive)");
		Assert.isTrue(rotateBefore == null || !rotateBefore.isNegative(), "rotateBefore must not be negative");
		Assert.isTrue(revokeGrace != null && !revokeGrace.isNegative(), "revokeGrace must not be negative");
	}

	/**
	 * The defaults: a 60 s margin, refresh at half the life &plusmn;10%, retries from 1 s
	 * to 60 s, rotation at half the long-term life with the previous token revoked 5
	 * minutes later.
	 * @return the default policy
	 */
	public static TokenPolicy defaults() {
		return new TokenPolicy(Duration.ofSeconds(60), 0.5, 0.1, Duration.ofSeconds(1), Duration.ofSeconds(60), true,
				0.5, null, true, Duration.ofMinutes(5));
	}

	/**
	 * This policy with another safety margin.
	 * @param margin the margin
	 * @return the new policy
	 */
	public TokenPolicy withSafetyMargin(Duration margin) {
		return new TokenPolicy(margin, this.refreshAt, this.refreshJitter, this.initialBackoff, this.maxBackoff,
				this.rotation, this.rotateAt, this.rotateBefore, this.revokeAfterRotation, this.revokeGrace);
	}

	/**
	 * This policy with another refresh point.
	 * @param at the point of life
	 * @param jitter the spread
	 * @return the new policy
	 */
	public TokenPolicy withRefresh(double at, double jitter) {
		return new TokenPolicy(this.safetyMargin, at, jitter, this.initialBackoff, this.maxBackoff, this.rotation,
				this.rotateAt, this.rotateBefore, this.revokeAfterRotation, this.revokeGrace);
	}

	/**
	 * This policy with other retry delays.
	 * @param initial the first delay
	 * @param max the cap
	 * @return the new policy
	 */
	public TokenPolicy withBackoff(Duration initial, Duration max) {
		return new TokenPolicy(this.safetyMargin, this.refreshAt, this.refreshJitter, initial, max, this.rotation,
				this.rotateAt, this.rotateBefore, this.revokeAfterRotation, this.revokeGrace);
	}

	/**
	 * This policy with other rotation settings.
	 * @param enabled whether to rotate
	 * @param at the point of life
	 * @param before if set, how long before expiry to rotate instead
	 * @param revokePrevious whether to revoke the previous token
	 * @return the new policy
	 */
	public TokenPolicy withRotation(boolean enabled, double at, @Nullable Duration before, boolean revokePrevious) {
		return new TokenPolicy(this.safetyMargin, this.refreshAt, this.refreshJitter, this.initialBackoff,
				this.maxBackoff, enabled, at, before, revokePrevious, this.revokeGrace);
	}

	/**
	 * This policy with another grace period before the previous long-term token is
	 * revoked.
	 * @param grace the grace period (zero: revoke right after the rotation)
	 * @return the new policy
	 */
	public TokenPolicy withRevokeGrace(Duration grace) {
		return new TokenPolicy(this.safetyMargin, this.refreshAt, this.refreshJitter, this.initialBackoff,
				this.maxBackoff, this.rotation, this.rotateAt, this.rotateBefore, this.revokeAfterRotation, grace);
	}

	/**
	 * The margin applied to a token of a given life: the safety margin, capped at a third
	 * of the life.
	 * @param life the token's life
	 * @return the margin
	 */
	Duration marginFor(Duration life) {
		Duration third = life.dividedBy(3);
		return (this.safetyMargin.compareTo(third) > 0) ? third : this.safetyMargin;
	}

}
