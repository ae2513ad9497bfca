package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Instant;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MToken;

/**
 * What a refresher takes from its manager.
 */
interface RefresherOwner {

	/**
	 * The clock that decides expiry.
	 * @return the clock
	 */
	Clock clock();

	/**
	 * The current time, in nanoseconds since the epoch.
	 * @return the reading
	 */
	long now();

	/**
	 * The first reading at which a token no longer has more than the safety margin left.
	 * @param token the token
	 * @return the deadline, in nanoseconds since the epoch
	 */
	long usableUntil(C2MToken token);

	/**
	 * The retry state after one more failure.
	 * @param backoff the state before it
	 * @param failure the failure
	 * @param now the current time
	 * @return the new state
	 */
	Backoff backoffAfter(Backoff backoff, C2MAuthException failure, Instant now);

	/**
	 * Record and announce a failure.
	 * @param failure the failure
	 */
	void failed(C2MAuthException failure);

	/**
	 * Count a caller failed at once while retries back off.
	 */
	void rejectedDuringBackoff();

	/**
	 * Count a replacement started in the background.
	 */
	void refreshingInBackground();

}
