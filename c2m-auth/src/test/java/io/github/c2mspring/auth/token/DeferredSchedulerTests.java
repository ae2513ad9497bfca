package io.github.c2mspring.auth.token;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DeferredScheduler} and the store scheduler built on it.
 */
class DeferredSchedulerTests {

	private final AtomicInteger created = new AtomicInteger();

	private final DeferredScheduler scheduler = new DeferredScheduler("test", () -> {
		this.created.incrementAndGet();
		return Schedulers.newSingle("deferred-test", true);
	});

	@Test
	void createsNothingUntilGivenWork() {
		assertThat(this.created).hasValue(0);
		assertThat(this.scheduler.isStarted()).isFalse();
		assertThat(this.scheduler.isDisposed()).isFalse();
		assertThat(this.scheduler).hasToString("DeferredScheduler(test, not started)");
	}

	@Test
	void createsItsSchedulerOnceOnFirstWorkAndRunsTheWorkThere() throws Exception {
		CompletableFuture<String> first = new CompletableFuture<>();
		this.scheduler.schedule(() -> first.complete(Thread.currentThread().getName()));
		String second = Mono.fromCallable(() -> Thread.currentThread().getName()).subscribeOn(this.scheduler).block();
		assertThat(first.get(10, TimeUnit.SECONDS)).startsWith("deferred-test");
		assertThat(second).startsWith("deferred-test");
		assertThat(this.created).hasValue(1);
		assertThat(this.scheduler.isStarted()).isTrue();
		this.scheduler.dispose();
		assertThat(this.scheduler.isDisposed()).isTrue();
	}

	@Test
	void disposedBeforeFirstUseCreatesNothingAndRejectsWork() {
		this.scheduler.dispose();
		assertThat(this.scheduler.isDisposed()).isTrue();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> this.scheduler.schedule(() -> {
		})).withMessageContaining("test scheduler is disposed");
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(this.scheduler::createWorker);
		assertThat(this.scheduler.disposeGracefully().block()).isNull();
		assertThat(this.created).hasValue(0);
	}

	@Test
	void disposingDisposesTheCreatedScheduler() {
		this.scheduler.createWorker().dispose();
		this.scheduler.disposeGracefully().block();
		assertThat(this.scheduler.isDisposed()).isTrue();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> this.scheduler.schedule(() -> {
		}));
		assertThat(this.created).hasValue(1);
	}

	@Test
	void storeSchedulerIsCreatedOnTheFirstStoreCall() {
		Scheduler store = TokenExecution.newStoreScheduler();
		try {
			assertThat(((DeferredScheduler) store).isStarted()).isFalse();
			String thread = Mono.fromCallable(() -> Thread.currentThread().getName()).subscribeOn(store).block();
			assertThat(thread).startsWith(TokenExecution.STORE_THREAD_NAME + "-");
			assertThat(((DeferredScheduler) store).isStarted()).isTrue();
		}
		finally {
			store.dispose();
		}
	}

}
