package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

import io.github.c2mspring.auth.ShortTermToken;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * When the {@link C2MTokenManager} replaces a short-term token in the background. Asked
 * once per token, when it lands; from the instant it answers, the first caller served the
 * token starts the replacement and is served the current token meanwhile. The default is
 * {@link #fractionOfLife(double, double, DoubleSupplier) a fraction of the token's life}
 * (half-way, &plusmn;10%). Whatever it answers, a token is never handed out with less
 * than the policy's safety margin left.
 */
@FunctionalInterface
public interface RefreshPolicy {

	/**
	 * When a token that has just landed is replaced in the background.
	 * @param token the token, with its request time and expiry
	 * @return the refresh point, or {@code null} for never (the token is then replaced
	 * only once it is no longer usable, with callers waiting)
	 */
	@Nullable Instant refreshAt(ShortTermToken token);

	/**
	 * Replace a token at a point of its life, spread by a jitter so that a fleet started
	 * together spreads its refreshes.
	 * @param at the point of life (0.5 for half-way)
	 * @param jitter the spread around {@code at}, as a fraction of the life (0.1 for
	 * &plusmn;10%)
	 * @param random uniform in [0, 1)
	 * @return the policy
	 */
	static RefreshPolicy fractionOfLife(double at, double jitter, DoubleSupplier random) {
		Assert.isTrue(at > 0 && at < 1, "at must be between 0 and 1 (exclusive)");
		Assert.isTrue(jitter >= 0 && jitter < Math.min(at, 1 - at),
				"jitter must be at least 0 and keep at +/- jitter within (0, 1)");
		Assert.notNull(random, "random must not be null");
		return (token) -> {
			Instant issuedAt = token.issuedAt();
			Instant expiresAt = token.expiresAt();
			if (issuedAt == null || expiresAt == null) {
				return null;
			}
			double fraction = at + jitter * (2 * random.getAsDouble() - 1);
			Duration life = Duration.between(issuedAt, expiresAt);
			return issuedAt.plusMillis((long) (life.toMillis() * fraction));
		};
	}

}
