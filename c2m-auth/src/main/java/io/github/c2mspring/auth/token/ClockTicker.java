package io.github.c2mspring.auth.token;

import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The daemon thread that reads a {@link MonotonicClock} in full (counter and wall clock)
 * every {@link #TICK_NANOS} and publishes the reading, so that the token manager's cache
 * hit reads the time from a field instead of a system clock call (on a virtual machine
 * {@code System.nanoTime()} alone can cost more than the rest of the hit). It holds the
 * clock weakly and ends once the clock is gone (the application context closed, its
 * manager collected), so it never outlives its application.
 * <p>
 * The time a cache hit sees is at most a tick behind (more only if this thread is held
 * up): far less than the safety margin a token keeps. After a suspend the first tick
 * shows the time spent suspended, as a full reading does.
 */
final class ClockTicker implements Runnable {

	/** How often the clock is read. */
	static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final Log logger = LogFactory.getLog(ClockTicker.class);

	private final WeakReference<MonotonicClock> clock;

	private ClockTicker(MonotonicClock clock) {
		this.clock = new WeakReference<>(clock);
	}

	/**
	 * Start ticking a clock on a daemon thread of its own.
	 * @param clock the clock
	 */
	static void start(MonotonicClock clock) {
		Thread thread = new Thread(new ClockTicker(clock), "c2m-clock");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void run() {
		while (tick()) {
			LockSupport.parkNanos(TICK_NANOS);
		}
	}

	private boolean tick() {
		MonotonicClock clock = this.clock.get();
		if (clock == null) {
			return false;
		}
		try {
			clock.tick();
		}
		catch (RuntimeException ex) {
			// the clock falls back to full readings: the hit stays correct, only slower
			logger.warn("The C2M clock ticker stopped; token expiry is read from the system clock on each use", ex);
			clock.stopTicking();
			return false;
		}
		return true;
	}

}
