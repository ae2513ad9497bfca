package io.github.c2mspring.emulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the emulator received: a count per endpoint, taken on arrival (before any fault),
 * which a test can wait on, and every answered request, recorded before its answer goes
 * out so that a client that has its answer finds it here.
 */
final class RequestLog {

	private final Map<Endpoint, AtomicInteger> counts = new EnumMap<>(Endpoint.class);

	private final Object monitor = new Object();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	RequestLog() {
		for (Endpoint endpoint : Endpoint.values()) {
			this.counts.put(endpoint, new AtomicInteger());
		}
	}

	void arrived(Endpoint endpoint) {
		synchronized (this.monitor) {
			this.counts.get(endpoint).incrementAndGet();
			this.monitor.notifyAll();
		}
	}

	void answered(RecordedRequest request) {
		this.requests.add(request);
	}

	int count(Endpoint endpoint) {
		return this.counts.get(endpoint).get();
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
		this.counts.values().forEach((count) -> count.set(0));
	}

}
