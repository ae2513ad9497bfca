package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that reads the wall clock once and then advances with {@link System#nanoTime()}, so
 * that token expiry is measured on a monotonic clock: setting the system time back or forth (by
 * NTP, by hand, on a VM resumed) neither expires a fresh token nor keeps a stale one.
 */
public final class MonotonicClock extends Clock {

	private final Instant origin;

	private final long originNanos;

	/**
	 * A clock anchored at the current wall-clock time.
	 */
	public MonotonicClock() {
		this.origin = Instant.now();
		this.originNanos = System.nanoTime();
	}

	@Override
	public Instant instant() {
		return this.origin.plusNanos(System.nanoTime() - this.originNanos);
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
		return "MonotonicClock[origin=" + this.origin + "]";
	}

}
