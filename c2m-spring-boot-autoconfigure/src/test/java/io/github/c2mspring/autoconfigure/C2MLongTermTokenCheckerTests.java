package io.github.c2mspring.autoconfigure;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.StoredToken;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.testsupport.ForwardingLongTermTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The background check of {@link C2MLongTermTokenChecker}: no thread before a token
 * manager is created (at its first use), nothing before a long-term token is held, then a
 * look at the store every check interval, on its own thread, which is gone when the
 * context closes.
 */
class C2MLongTermTokenCheckerTests {

	private C2MEmulator emulator;

	private final CountingStore store = new CountingStore();

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(C2MAutoConfiguration.class))
			.withBean(LongTermTokenStore.class, () -> this.store)
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
					"c2m.auth.client-secret=secret-1", "c2m.auth.short-term.scopes=jobs:submit",
					"c2m.auth.store.check-interval=50ms");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void looksAtTheStoreEveryIntervalOnceATokenIsHeldAndStopsWithTheContext() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(C2MLongTermTokenChecker.class).isRunning()).isTrue();
			assertThat(checkerThreads()).isZero();
			assertThat(context.getBean(C2MAuthOperations.class).getAccessToken()).isNotBlank();
			assertThat(checkerThreads()).isEqualTo(1);
			int afterFirstCall = this.store.loads.get();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.store.loads.get() >= afterFirstCall + 3);
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> checkerThreads() == 0);
		int afterClose = this.store.loads.get();
		assertThat(this.emulator.requests()).isNotEmpty();
		assertThat(this.store.loads.get()).isEqualTo(afterClose);
	}

	@Test
	void aCheckThatFailsIsLoggedAndTheNextOneStillRuns() {
		this.store.failLoads = true;
		this.runner.run((context) -> {
			this.store.failLoads = false;
			assertThat(context.getBean(C2MAuthOperations.class).getAccessToken()).isNotBlank();
			this.store.failLoads = true;
			int failing = this.store.failedLoads.get();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.store.failedLoads.get() >= failing + 2);
			this.store.failLoads = false;
			int working = this.store.loads.get();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.store.loads.get() >= working + 2);
		});
	}

	private static long checkerThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(C2MLongTermTokenChecker.THREAD_NAME) && thread.isAlive())
			.count();
	}

	/**
	 * The in-memory store, counting the loads (every check makes one) and failing them on
	 * demand.
	 */
	static final class CountingStore extends ForwardingLongTermTokenStore {

		final AtomicInteger loads = new AtomicInteger();

		final AtomicInteger failedLoads = new AtomicInteger();

		volatile boolean failLoads;

		CountingStore() {
			super(new InMemoryLongTermTokenStore());
		}

		@Override
		public Optional<StoredToken> load(String key) {
			if (this.failLoads) {
				this.failedLoads.incrementAndGet();
				throw new IllegalStateException("store down");
			}
			this.loads.incrementAndGet();
			return super.load(key);
		}

		@Override
		public boolean isBlocking() {
			return false;
		}

	}

}
