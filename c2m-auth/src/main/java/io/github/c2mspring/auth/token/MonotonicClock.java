package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A clock that reads the wall clock once and then advances with
 * {@link System#nanoTime()}, so that token expiry is measured on a clock that never goes
 * back: setting the system time back (by NTP, by hand, on a VM resumed) does not keep a
 * stale token in use.
 * <p>
 * {@code System.nanoTime()} does not count the time a machine spends suspended (on
 * Linux), so the clock also watches the wall clock: whenever the wall clock gains on the
 * counter (a suspend, or the system time set forward) the gain is added. Between any two
 * readings it therefore advances at least as far as the counter and at least as far as
 * the wall clock, and a token counts as expired as soon as either says so. Gains of less
 * than a second are taken as drift and ignored; the wall clock moving back is ignored.
 */
public final class MonotonicClock extends Clock {

	private static final long JUMP_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final Clock wall;

	private final LongSupplier nanoTime;

	private final Instant origin;

	private final long originMillis;

	private final long originEpochNanos;

	private final long originNanos;

	private final AtomicReference<Gap> gap = new AtomicReference<>(new Gap(0, 0));

	/**
	 * A clock anchored at the current wall-clock time.
	 */
	public MonotonicClock() {
		this(Clock.systemUTC(), System::nanoTime);
	}

	/**
	 * A clock on the given sources, for tests.
	 * @param wall the wall clock
	 * @param nanoTime the monotonic nanosecond counter
	 */
	MonotonicClock(Clock wall, LongSupplier nanoTime) {
		this.wall = wall;
		this.nanoTime = nanoTime;
		this.origin = wall.instant();
		this.originMillis = this.origin.toEpochMilli();
		this.originEpochNanos = TokenClock.toNanos(this.origin);
		this.originNanos = nanoTime.getAsLong();
	}

	@Override
	public Instant instant() {
		return this.origin.plusNanos(sinceOrigin());
	}

	@Override
	public long millis() {
		return Math.floorDiv(epochNanos(), 1_000_000L);
	}

	/**
	 * The current time in nanoseconds since the epoch, the same reading as
	 * {@link #instant()} without allocating.
	 * @return the reading
	 */
	long epochNanos() {
		return this.originEpochNanos + sinceOrigin();
	}

	@SuppressWarnings("NullAway") // the gap is never empty: set at construction, only
									// swapped for another
	private long sinceOrigin() {
		long elapsed = this.nanoTime.getAsLong() - this.originNanos;
		long wallElapsed = TimeUnit.MILLISECONDS.toNanos(this.wall.millis() - this.originMillis);
		long current = wallElapsed - elapsed;
		Gap gap = this.gap.get();
		if (Math.abs(current - gap.last()) >= JUMP_NANOS) {
			gap = this.gap.updateAndGet((previous) -> previous.moveTo(current));
		}
		return elapsed + gap.gained();
	}

	/**
	 * The wall clock this clock was anchored on, for times shared with other machines.
	 * @return the wall clock
	 */
	Clock wallClock() {
		return this.wall;
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

	/**
	 * How far the wall clock was ahead of the counter at the last jump, and the sum of
	 * the gains.
	 */
	private record Gap(long last, long gained) {

		Gap moveTo(long current) {
			if (Math.abs(current - this.last) < JUMP_NANOS) {
				return this;
			}
			return new Gap(current, this.gained + Math.max(0, current - this.last));
		}

	}

}
