package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.github.c2mspring.auth.C2MOperation;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * The lease of the store's entry, under which one instance of a fleet takes a step
 * (issue, rotate, revoke) while the others wait or carry on. Each step takes it under an
 * owner of its own, so that two steps of one instance never share (and release) one
 * lease, and gives it back when it ends, also on error or cancellation; a lease that is
 * not given back (the instance died) runs out after its duration.
 */
final class StoreLease {

	private final StoreCalls calls;

	private final Clock clock;

	private final Duration duration;

	/**
	 * This instance's id: 128 random bits, which tell apart the instances sharing a
	 * store. Not from {@link UUID#randomUUID()}: its first call seeds the JVM's secure
	 * random generator, a read of {@code /dev/urandom} that would block the thread of
	 * whichever call takes the first lease (an event loop, say), or add tens of
	 * milliseconds to startup if made then; a lease owner is no secret, and
	 * {@link ThreadLocalRandom} (seeded from both clocks of the host) is unique enough
	 * for it.
	 */
	private final String instance = new UUID(ThreadLocalRandom.current().nextLong(),
			ThreadLocalRandom.current().nextLong())
		.toString();

	private final AtomicLong leases = new AtomicLong();

	/**
	 * Create the lease of an entry.
	 * @param calls the calls to the store and its entry
	 * @param clock the clock of the lease's times (the wall clock: other machines compare
	 * them)
	 * @param duration how long one instance may take for a step before another may take
	 * over
	 */
	StoreLease(StoreCalls calls, Clock clock, Duration duration) {
		Assert.notNull(calls, "calls must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.isTrue(duration != null && !duration.isNegative() && !duration.isZero(), "lease must be positive");
		this.calls = calls;
		this.clock = clock;
		this.duration = duration;
	}

	Duration duration() {
		return this.duration;
	}

	/**
	 * Run {@code work} holding the lease, and give it back afterwards (also on error or
	 * cancellation).
	 * @param <T> what the work produces
	 * @param operation the operation the work is part of
	 * @param work the work
	 * @return what the work produced, or empty if another instance holds the lease
	 */
	<T> Mono<T> under(C2MOperation operation, Supplier<Mono<T>> work) {
		String owner = this.instance + "#" + this.leases.incrementAndGet();
		String key = this.calls.key();
		return Mono.usingWhen(this.calls.call(operation, () -> {
			Instant now = this.clock.instant();
			return this.calls.store().tryLease(key, owner, now, now.plus(this.duration));
		}), (taken) -> taken ? Mono.defer(work) : Mono.<T>empty(), (taken) -> taken ? this.calls.call(operation, () -> {
			this.calls.store().releaseLease(key, owner);
			return true;
		}) : Mono.empty());
	}

}
