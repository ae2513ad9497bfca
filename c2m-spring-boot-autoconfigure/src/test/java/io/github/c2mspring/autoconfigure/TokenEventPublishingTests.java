package io.github.c2mspring.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.token.C2MTokenEvent;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Token events reach the application's listeners off the network threads, in order.
 */
class TokenEventPublishingTests {

	private final ManualClock clock = ManualClock.startingNow();

	private C2MEmulator emulator;

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().clock(this.clock).start();
		this.emulator.clients()
			.register("client-1")
			.secret("secret-1")
			.allowedScopes("jobs:submit", "templates:read", "tokens:revoke");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class))
			.withBean(C2MAutoConfiguration.CLOCK_BEAN_NAME, java.time.Clock.class, () -> this.clock)
			.withUserConfiguration(ListenerConfiguration.class)
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
					"c2m.auth.client-secret=secret-1");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void listenerMayBlockOnTheOperationsOffTheNetworkThreads() {
		AtomicReference<Thread> eventThread = new AtomicReference<>();
		this.runner.run((context) -> {
			C2MAuthOperations operations = context.getBean(C2MAuthOperations.class);
			RecordingListener listener = context.getBean(RecordingListener.class);
			operations.getAccessToken();
			// the failure is published by the exchange's completion, on a network thread
			this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.status(503));
			assertThatExceptionOfType(C2MAuthException.class)
				.isThrownBy(() -> operations.getShortTermToken(List.of("jobs:submit")));
			Object fromListener = listener.firstFailureOutcome.get(20, TimeUnit.SECONDS);
			assertThat(fromListener).isInstanceOf(ShortTermToken.class);
			assertThat(listener.failureThread.get().getName()).isEqualTo("c2m-events");
			assertThat(listener.failureThreadNonBlocking).isFalse();
			assertThat(listener.types).containsExactly(C2MTokenEvent.Type.LONG_TERM_ISSUED, C2MTokenEvent.Type.FAILURE);
			eventThread.set(listener.failureThread.get());
		});
		// the starter's own event thread ends with the context
		Thread thread = eventThread.get();
		assertThat(thread).isNotNull();
		awaitEnd(thread);
		assertThat(thread.isAlive()).isFalse();
	}

	@Test
	void eventsArriveInOrderOnTheStartersThreadWhateverTheApplicationsExecutorDoes() {
		// an application executor may drop a task (a discarding policy, a pool that is
		// stopping) or
		// run it on the caller's thread (CallerRunsPolicy): neither may lose, reorder or
		// move events
		this.runner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.withBean("applicationTaskExecutor", Executor.class, () -> (task) -> {
			})
			.withPropertyValues("test.hold-first-failure=true")
			.run((context) -> {
				C2MAuthOperations operations = context.getBean(C2MAuthOperations.class);
				RecordingListener listener = context.getBean(RecordingListener.class);
				operations.getAccessToken();
				List<List<String>> scopeSets = List.of(List.of("jobs:submit"), List.of("templates:read"),
						List.of("tokens:revoke"), List.of("jobs:submit", "templates:read"),
						List.of("jobs:submit", "tokens:revoke"));
				for (int i = 0; i < scopeSets.size(); i++) {
					this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.status(503, "code-" + i, "down"));
				}
				for (List<String> scopes : scopeSets) {
					assertThatExceptionOfType(C2MAuthException.class)
						.isThrownBy(() -> operations.getShortTermToken(scopes));
				}
				// the first failure's listener was held while the others were published
				listener.releaseFirstFailure.countDown();
				assertThat(listener.allFailures.await(20, TimeUnit.SECONDS)).isTrue();
				assertThat(listener.codes).containsExactly("code-0", "code-1", "code-2", "code-3", "code-4");
				assertThat(listener.threadNames).allSatisfy((name) -> assertThat(name).isEqualTo("c2m-events"));
			});
	}

	private static void awaitEnd(Thread thread) {
		try {
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		@Bean
		RecordingListener recordingListener(ObjectProvider<C2MAuthOperations> operations,
				org.springframework.core.env.Environment environment) {
			return new RecordingListener(operations,
					environment.getProperty("test.hold-first-failure", Boolean.class, false));
		}

	}

	static class RecordingListener {

		private final ObjectProvider<C2MAuthOperations> operations;

		private final boolean holdFirstFailure;

		final List<C2MTokenEvent.Type> types = new CopyOnWriteArrayList<>();

		final List<String> codes = new CopyOnWriteArrayList<>();

		final List<String> threadNames = new CopyOnWriteArrayList<>();

		final CompletableFuture<Object> firstFailureOutcome = new CompletableFuture<>();

		final AtomicReference<Thread> failureThread = new AtomicReference<>();

		final CountDownLatch releaseFirstFailure = new CountDownLatch(1);

		final CountDownLatch allFailures = new CountDownLatch(5);

		volatile boolean failureThreadNonBlocking;

		RecordingListener(ObjectProvider<C2MAuthOperations> operations, boolean holdFirstFailure) {
			this.operations = operations;
			this.holdFirstFailure = holdFirstFailure;
		}

		@EventListener
		void on(C2MTokenEvent event) throws InterruptedException {
			this.types.add(event.getType());
			this.threadNames.add(Thread.currentThread().getName());
			if (event.getType() != C2MTokenEvent.Type.FAILURE) {
				return;
			}
			if (this.failureThread.compareAndSet(null, Thread.currentThread())) {
				this.failureThreadNonBlocking = Schedulers.isInNonBlockingThread();
				if (this.holdFirstFailure) {
					this.releaseFirstFailure.await(10, TimeUnit.SECONDS);
				}
				else {
					try {
						this.firstFailureOutcome
							.complete(this.operations.getObject().getShortTermToken(List.of("templates:read")));
					}
					catch (RuntimeException ex) {
						this.firstFailureOutcome.complete(ex);
					}
				}
			}
			this.codes.add(event.getException().getCode());
			this.allFailures.countDown();
		}

	}

}
