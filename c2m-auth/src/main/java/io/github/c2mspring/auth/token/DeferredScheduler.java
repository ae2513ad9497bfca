package io.github.c2mspring.auth.token;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.util.Assert;

/**
 * A {@link Scheduler} that creates the one it delegates to when it is first given work.
 * Creating a Reactor scheduler initializes Reactor's publishers (hundreds of classes,
 * tens of milliseconds), which an application should not pay at startup for the calls of
 * a store it may not call for minutes, or ever (the in-memory store never runs on it).
 * Disposing it before its first use disposes nothing and rejects any later work, as a
 * disposed Reactor scheduler does.
 */
final class DeferredScheduler implements Scheduler {

	private final String name;

	private final Supplier<Scheduler> factory;

	private final Object lock = new Object();

	private volatile @Nullable Scheduler delegate;

	private volatile boolean disposed;

	DeferredScheduler(String name, Supplier<Scheduler> factory) {
		Assert.hasText(name, "name must not be empty");
		Assert.notNull(factory, "factory must not be null");
		this.name = name;
		this.factory = factory;
	}

	private Scheduler delegate() {
		Scheduler scheduler = this.delegate;
		if (scheduler != null) {
			return scheduler;
		}
		synchronized (this.lock) {
			scheduler = this.delegate;
			if (scheduler == null) {
				if (this.disposed) {
					throw Exceptions.failWithRejected("the " + this.name + " scheduler is disposed");
				}
				scheduler = this.factory.get();
				this.delegate = scheduler;
			}
			return scheduler;
		}
	}

	/**
	 * Whether the scheduler it delegates to exists yet.
	 * @return {@code true} after the first work was given
	 */
	boolean isStarted() {
		return this.delegate != null;
	}

	@Override
	public Disposable schedule(Runnable task) {
		return delegate().schedule(task);
	}

	@Override
	public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
		return delegate().schedule(task, delay, unit);
	}

	@Override
	public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
		return delegate().schedulePeriodically(task, initialDelay, period, unit);
	}

	@Override
	public Worker createWorker() {
		return delegate().createWorker();
	}

	@Override
	public void init() {
		// created on first use
	}

	@Override
	public void dispose() {
		Scheduler scheduler;
		synchronized (this.lock) {
			this.disposed = true;
			scheduler = this.delegate;
		}
		if (scheduler != null) {
			scheduler.dispose();
		}
	}

	@Override
	public Mono<Void> disposeGracefully() {
		Scheduler scheduler;
		synchronized (this.lock) {
			this.disposed = true;
			scheduler = this.delegate;
		}
		return (scheduler != null) ? scheduler.disposeGracefully() : Mono.empty();
	}

	@Override
	public boolean isDisposed() {
		Scheduler scheduler = this.delegate;
		return (scheduler != null) ? scheduler.isDisposed() : this.disposed;
	}

	@Override
	public String toString() {
		Scheduler scheduler = this.delegate;
		return "DeferredScheduler(" + this.name + ", " + ((scheduler != null) ? scheduler : "not started") + ")";
	}

}
