package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.Assert;

/**
 * Where the token manager runs the calls of a {@link LongTermTokenStore#isBlocking()
 * blocking} store, and how long it lets a store call and a blocking caller wait. The
 * store's scheduler is the starter's own (bounded, daemon threads named
 * {@value #STORE_THREAD_NAME}-N), never one of Reactor's shared schedulers, whose threads
 * the application's callers may all be holding while they wait for a token; its owner
 * disposes it (the auto-configuration does when the application context closes). A store
 * that does not block is called on the caller's thread.
 */
public final class TokenExecution {

	/** The default longest a store call may take. */
	public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * The default longest a blocking caller waits for a token: twice the default lease
	 * plus twice the default call timeout.
	 */
	public static final Duration DEFAULT_BLOCKING_TIMEOUT = Duration.ofMinutes(3);

	/** The name of the store threads, followed by a number. */
	public static final String STORE_THREAD_NAME = "c2m-store";

	/**
	 * Threads of a store scheduler: the manager makes a few store calls at a time at
	 * most.
	 */
	static final int STORE_THREADS = 4;

	/** Store calls that may wait for a thread of a store scheduler. */
	private static final int STORE_QUEUE = 10_000;

	/** Seconds an idle store thread lives. */
	private static final int STORE_THREAD_TTL = 60;

	private static final Object sharedLock = new Object();

	private static @Nullable Scheduler shared;

	private final Scheduler storeScheduler;

	private final Duration storeTimeout;

	private final Duration blockingTimeout;

	/**
	 * Create the execution settings.
	 * @param storeScheduler the scheduler of the calls of a blocking store (see
	 * {@link #newStoreScheduler()}); its owner disposes it
	 * @param storeTimeout the longest one store call may take
	 * @param blockingTimeout the longest a blocking caller waits for a token
	 */
	public TokenExecution(Scheduler storeScheduler, Duration storeTimeout, Duration blockingTimeout) {
		Assert.notNull(storeScheduler, "storeScheduler must not be null");
		Assert.isTrue(isPositive(storeTimeout), "storeTimeout must be positive");
		Assert.isTrue(isPositive(blockingTimeout), "blockingTimeout must be positive");
		this.storeScheduler = storeScheduler;
		this.storeTimeout = storeTimeout;
		this.blockingTimeout = blockingTimeout;
	}

	/**
	 * The defaults, on a store scheduler shared by every manager created with them, which
	 * is never disposed (its daemon threads end when idle for a minute).
	 * @return the default execution settings
	 */
	public static TokenExecution defaults() {
		synchronized (sharedLock) {
			if (shared == null || shared.isDisposed()) {
				shared = newStoreScheduler();
			}
			return new TokenExecution(shared, DEFAULT_STORE_TIMEOUT, DEFAULT_BLOCKING_TIMEOUT);
		}
	}

	/**
	 * A new scheduler for the calls of a blocking store: at most {@value #STORE_THREADS}
	 * daemon threads named {@value #STORE_THREAD_NAME}-N, created when it is first given
	 * work (a store that does not block never gives it any). The caller owns it and
	 * disposes it.
	 * @return the scheduler
	 */
	public static Scheduler newStoreScheduler() {
		return new DeferredScheduler(STORE_THREAD_NAME, () -> Schedulers.newBoundedElastic(STORE_THREADS, STORE_QUEUE,
				STORE_THREAD_NAME, STORE_THREAD_TTL, true));
	}

	/**
	 * The scheduler of the calls of a blocking store.
	 * @return the scheduler
	 */
	public Scheduler getStoreScheduler() {
		return this.storeScheduler;
	}

	/**
	 * The longest one store call may take.
	 * @return the store timeout
	 */
	public Duration getStoreTimeout() {
		return this.storeTimeout;
	}

	/**
	 * The longest a blocking caller waits for a token.
	 * @return the blocking timeout
	 */
	public Duration getBlockingTimeout() {
		return this.blockingTimeout;
	}

	/**
	 * Wait for a result another party completes, for at most the blocking timeout; the
	 * work goes on when the wait ends (others may be waiting for it too).
	 * @param <T> the result type
	 * @param future the result
	 * @param operation what is waited for, for the error
	 * @return the result
	 * @throws C2MAuthException the failure, or a timeout naming
	 * {@link C2MSetting#BLOCKING_TIMEOUT}
	 * @throws IllegalStateException on a thread that must not block (an event loop,
	 * Reactor's parallel scheduler) when the result is not there yet
	 */
	<T> T await(CompletableFuture<T> future, C2MOperation operation) {
		if (!future.isDone() && Schedulers.isInNonBlockingThread()) {
			// as Reactor's block(): waiting here could hold up the very thread the answer
			// needs
			throw new IllegalStateException("waiting for a C2M token blocks, which is not supported in thread "
					+ Thread.currentThread().getName() + "; use the reactive C2MTokenManager#getShortTermToken");
		}
		try {
			return future.get(this.blockingTimeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new C2MAuthException(operation, 0, C2MAuthException.TRANSPORT_CODE, null, null,
					"no answer within " + this.blockingTimeout + " (the blocking timeout); the request goes on "
							+ "in the background. If the server or the token store is merely slow, raise "
							+ "the blocking timeout",
					null, false, C2MSetting.BLOCKING_TIMEOUT);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new C2MAuthException(operation, 0, C2MAuthException.TRANSPORT_CODE, null, null,
					"interrupted while waiting for a token", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw Exceptions.propagate(cause);
		}
	}

	/**
	 * Subscribe and wait for the result, for at most the blocking timeout, after which
	 * the work is cancelled.
	 * @param <T> the result type
	 * @param mono the work
	 * @param operation what is waited for, for the error
	 * @return the result, or {@code null} if the work produced none
	 * @throws C2MAuthException the failure, or a timeout naming
	 * {@link C2MSetting#BLOCKING_TIMEOUT}
	 */
	<T> T block(Mono<T> mono, C2MOperation operation) {
		CompletableFuture<T> future = mono.toFuture();
		try {
			return await(future, operation);
		}
		finally {
			future.cancel(true);
		}
	}

	private static boolean isPositive(Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

	@Override
	public String toString() {
		return "TokenExecution[storeTimeout=" + this.storeTimeout + ", blockingTimeout=" + this.blockingTimeout + "]";
	}

}
