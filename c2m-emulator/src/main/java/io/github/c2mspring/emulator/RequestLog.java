package io.github.c2mspring.emulator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What the emulator received: a count per endpoint, taken on arrival (before any fault),
 * which a test can wait on, and every answered request, recorded before its answer goes
 * out so that a client that has its answer finds it here.
 */
final class RequestLog {

	private final AtomicIntegerArray counts = new AtomicIntegerArray(Endpoint.values().length);

	private final Object monitor = new Object();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	void arrived(Endpoint endpoint) {
		synchronized (this.monitor) {
			this.counts.incrementAndGet(endpoint.ordinal());
			this.monitor.notifyAll();
		}
	}

	void answered(RecordedRequest request) {
		this.requests.add(request);
	}

	int count(Endpoint endpoint) {
		return this.counts.get(endpoint.ordinal());
	}

	boolean awaitCount(Endpoint endpoint, int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.monitor) {
			while (count(endpoint) < count) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
			}
			return true;
		}
	}

	List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	void clear() {
		this.requests.clear();
		for (int i = 0; i < this.counts.length(); i++) {
			this.counts.set(i, 0);
		}
	}

}
