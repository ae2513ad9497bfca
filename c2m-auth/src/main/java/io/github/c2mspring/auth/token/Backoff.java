package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.github.c2mspring.auth.C2MAuthException;
import org.jspecify.annotations.Nullable;

/**
 * The retry state after failures, as one immutable value: how many attempts failed in a
 * row, when the next is allowed (an exponential delay with full jitter, never shorter
 * than the server's {@code Retry-After}) and the last error. {@link #NONE} after a
 * success.
 *
 * @param failures the attempts that failed in a row
 * @param nextAttemptAt when the next attempt is allowed ({@link Instant#MIN} when not
 * backing off)
 * @param lastError the last failure, {@code null} exactly when {@code failures} is 0
 */
record Backoff(int failures, Instant nextAttemptAt, @Nullable C2MAuthException lastError) {

	/** No failure since the last success. */
	static final Backoff NONE = new Backoff(0, Instant.MIN, null);

	/**
	 * Whether a caller without a usable token is failed at once.
	 * @param now the current time
	 * @return whether retries are backing off
	 */
	boolean isBackingOff(Instant now) {
		return this.failures > 0 && now.isBefore(this.nextAttemptAt);
	}

	/**
	 * Whether an attempt may start now.
	 * @param now the current time
	 * @return whether the delay, if any, is over
	 */
	boolean allows(Instant now) {
		return !now.isBefore(this.nextAttemptAt);
	}

	/**
	 * The state after one more failure.
	 * @param error the failure
	 * @param now the current time
	 * @param policy the delays
	 * @param random uniform in [0, 1), the jitter
	 * @return the new state
	 */
	Backoff failed(C2MAuthException error, Instant now, TokenPolicy policy, double random) {
		int count = Math.min(this.failures + 1, 30);
		Duration cap = policy.initialBackoff().multipliedBy(1L << Math.min(count - 1, 20));
		if (cap.compareTo(policy.maxBackoff()) > 0) {
			cap = policy.maxBackoff();
		}
		Duration delay = Duration.ofMillis((long) (cap.toMillis() * random));
		if (error.getRetryAfter() != null && error.getRetryAfter().compareTo(delay) > 0) {
			delay = error.getRetryAfter();
		}
		return new Backoff(count, now.plus(delay), error);
	}

	/**
	 * The failure given to a caller while retries back off.
	 * @param now the current time
	 * @return the failure, naming the last error and when the next attempt is allowed
	 */
	C2MAuthException rejection(Instant now) {
		// backing off means a failure happened, so there is a last error
		C2MAuthException last = Objects.requireNonNull(this.lastError, "lastError");
		Duration wait = Duration.between(now, this.nextAttemptAt);
		return new C2MAuthException(last.getOperation(), last.getStatus(), last.getCode(), last.getServerMessage(),
				wait,
				"no valid token is held and the last " + this.failures + " attempt(s) failed; the next is allowed in "
						+ wait.toMillis() + " ms (last error: " + last.getMessage() + ")",
				last);
	}

}
