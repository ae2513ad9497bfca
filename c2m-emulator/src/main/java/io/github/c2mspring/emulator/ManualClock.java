package io.github.c2mspring.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that a test moves by hand. Give the same instance to the emulator and to the
 * application (as its {@code c2mClock} bean) to test expiry, refresh and rotation without
 * sleeping.
 */
public final class ManualClock extends Clock {

	private volatile Instant now;

	/**
	 * A clock standing at the given instant.
	 * @param start the instant
	 */
	public ManualClock(Instant start) {
		this.now = Objects.requireNonNull(start);
	}

	/**
	 * A clock standing at the current time.
	 * @return the clock
	 */
	public static ManualClock startingNow() {
		return new ManualClock(Instant.now());
	}

	/**
	 * Move the clock forward (or back, with a negative duration).
	 * @param duration how far
	 */
	public synchronized void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public String toString() {
		return "ManualClock[" + this.now + "]";
	}

}
