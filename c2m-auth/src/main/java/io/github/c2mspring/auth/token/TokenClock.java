package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The manager's clock, read as a {@code long} of nanoseconds since the epoch, so that the
 * cache hit compares a reading with deadlines computed when a token landed and allocates
 * nothing. A {@link MonotonicClock} is read without allocating; any other clock (a
 * test's) through its {@link Clock#instant() instant}, converted exactly.
 */
final class TokenClock {

	private final Clock clock;

	private final @Nullable MonotonicClock monotonic;

	TokenClock(Clock clock) {
		this.clock = clock;
		this.monotonic = (clock instanceof MonotonicClock monotonicClock) ? monotonicClock : null;
	}

	/**
	 * The clock that decides expiry.
	 * @return the clock
	 */
	Clock clock() {
		return this.clock;
	}

	/**
	 * The current time.
	 * @return the current time
	 */
	Instant instant() {
		return this.clock.instant();
	}

	/**
	 * The current time as nanoseconds since the epoch.
	 * @return the reading
	 */
	long nanos() {
		return (this.monotonic != null) ? this.monotonic.recentEpochNanos() : toNanos(this.clock.instant());
	}

	/**
	 * The clock of the times a store shares between instances (leases, when a retired
	 * token is revoked): the wall clock, which every machine keeps in step with the
	 * others, where expiry is measured on a {@link MonotonicClock}, which never goes back
	 * and so may drift from the wall clock after a correction of the system time; any
	 * other clock (a test's) as it is.
	 * @return the store clock
	 */
	Clock storeClock() {
		return (this.monotonic != null) ? this.monotonic.wallClock() : this.clock;
	}

	/**
	 * An instant as nanoseconds since the epoch, saturated to {@code Long.MIN_VALUE} and
	 * {@code Long.MAX_VALUE} beyond what a {@code long} holds (years 1677 to 2262).
	 * @param instant the instant
	 * @return the nanoseconds
	 */
	static long toNanos(Instant instant) {
		long seconds = instant.getEpochSecond();
		if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
			return Long.MAX_VALUE;
		}
		if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
			return Long.MIN_VALUE;
		}
		return seconds * 1_000_000_000L + instant.getNano();
	}

}
