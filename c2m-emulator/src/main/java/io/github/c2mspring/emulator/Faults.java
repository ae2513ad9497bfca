package io.github.c2mspring.emulator;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;

/**
 * The faults injected per endpoint: queued ones, each used by one request in order, and
 * one that applies to every request while set.
 */
public final class Faults {

	private final Map<Endpoint, Queue<Fault>> queued = new ConcurrentHashMap<>();

	private final Map<Endpoint, Fault> always = new ConcurrentHashMap<>();

	Faults() {
	}

	/**
	 * Apply a fault to the next request of an endpoint (after those queued before).
	 * @param endpoint the endpoint
	 * @param fault the fault
	 * @return this
	 */
	public Faults once(Endpoint endpoint, Fault fault) {
		return times(endpoint, 1, fault);
	}

	/**
	 * Apply a fault to the next {@code count} requests of an endpoint.
	 * @param endpoint the endpoint
	 * @param count how many requests
	 * @param fault the fault
	 * @return this
	 */
	public Faults times(Endpoint endpoint, int count, Fault fault) {
		Queue<Fault> queue = this.queued.computeIfAbsent(endpoint, (key) -> new ConcurrentLinkedQueue<>());
		for (int i = 0; i < count; i++) {
			queue.add(fault);
		}
		return this;
	}

	/**
	 * Apply a fault to every request of an endpoint until {@link #clear()}.
	 * @param endpoint the endpoint
	 * @param fault the fault
	 * @return this
	 */
	public Faults always(Endpoint endpoint, Fault fault) {
		this.always.put(endpoint, fault);
		return this;
	}

	/**
	 * Remove every fault.
	 */
	public void clear() {
		this.queued.clear();
		this.always.clear();
	}

	@Nullable Fault next(Endpoint endpoint) {
		Queue<Fault> queue = this.queued.get(endpoint);
		Fault fault = (queue != null) ? queue.poll() : null;
		return (fault != null) ? fault : this.always.get(endpoint);
	}

}
