package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>
 * The token manager's cache hit reads it through {@link #recentEpochNanos()}: on the
 * system clocks, the reading a {@link ClockTicker} published at most a tick ago, so that
 * a hit makes no system clock call.
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

	/** Whether recent readings come from a ticker (the system clocks only). */
	private final boolean ticked;

	private final AtomicBoolean tickerStarted = new AtomicBoolean();

	/** The last reading a ticker published; {@link #NOT_TICKING} until it has one. */
	private volatile long recent = NOT_TICKING;

	private static final long NOT_TICKING = Long.MIN_VALUE;

	/**
	 * A clock anchored at the current wall-clock time.
	 */
	public MonotonicClock() {
		this(Clock.systemUTC(), System::nanoTime, true);
	}

	/**
	 * A clock on the given sources, for tests.
	 * @param wall the wall clock
	 * @param nanoTime the monotonic nanosecond counter
	 */
	MonotonicClock(Clock wall, LongSupplier nanoTime) {
		this(wall, nanoTime, false);
	}

	private MonotonicClock(Clock wall, LongSupplier nanoTime, boolean ticked) {
		this.ticked = ticked;
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

	/**
	 * The reading a ticker published at most a tick ago, for the cache hit: no system
	 * clock call and no allocation. The first call starts the ticker (on the system
	 * clocks; a clock on other sources, a test's, is read in full each time), and reads
	 * in full until the ticker has published.
	 * @return nanoseconds since the epoch
	 */
	long recentEpochNanos() {
		long recent = this.recent;
		if (recent != NOT_TICKING) {
			return recent;
		}
		// read before the ticker starts, so that its first reading is not earlier
		long now = epochNanos();
		if (this.ticked && this.tickerStarted.compareAndSet(false, true)) {
			ClockTicker.start(this);
		}
		return now;
	}

	/**
	 * Read in full and publish the reading for {@link #recentEpochNanos()}.
	 */
	void tick() {
		this.recent = epochNanos();
	}

	/**
	 * Go back to full readings (the ticker failed).
	 */
	void stopTicking() {
		this.recent = NOT_TICKING;
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
