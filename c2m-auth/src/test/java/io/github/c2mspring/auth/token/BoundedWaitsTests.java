package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.StoredToken;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.testsupport.BlockHoundInstalled;
import io.github.c2mspring.testsupport.ForwardingLongTermTokenStore;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Where the store's calls run and how long anything waits: a blocking store on the
 * manager's own store threads, the in-memory store on the caller's thread; a store call
 * that does not end fails at the store timeout, a blocking caller at the blocking
 * timeout, each naming its property, and the next attempt starts afresh.
 */
@BlockHoundInstalled
class BoundedWaitsTests {

	private static final String CLIENT_ID = "client-1";

	private final Scheduler storeScheduler = TokenExecution.newStoreScheduler();

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<String> loadedOn = new CopyOnWriteArrayList<>();

	private C2MEmulator emulator;

	private C2MAuthClient client;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.start();
		this.emulator.clients().register(CLIENT_ID).secret("secret-1").allowedScopes("jobs:submit");
		this.client = new C2MAuthClient(WebClient.builder().baseUrl(this.emulator.baseUrl()).build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(30));
	}

	@AfterEach
	void stop() {
		this.release.countDown();
		this.storeScheduler.dispose();
		this.emulator.close();
	}

	@Test
	void aBlockingStoreIsCalledOnTheStoreThreadsAndTheInMemoryStoreOnTheCallersThread() {
		C2MTokenManager blocking = manager(Duration.ofMinutes(1), Duration.ofMinutes(1), new RecordingStore(true));
		blocking.getShortTermTokenBlocking(Set.of());
		assertThat(this.loadedOn).isNotEmpty().allMatch((thread) -> thread.startsWith("c2m-store-"));
		this.loadedOn.clear();
		C2MTokenManager inMemory = manager(Duration.ofMinutes(1), Duration.ofMinutes(1), new RecordingStore(false));
		inMemory.getShortTermTokenBlocking(Set.of());
		assertThat(this.loadedOn).isNotEmpty().containsOnly(Thread.currentThread().getName());
	}

	@Test
	void aStoreCallThatDoesNotEndFailsAtTheStoreTimeoutAndTheNextAttemptStartsAfresh() throws Exception {
		C2MTokenManager manager = manager(Duration.ofMillis(200), Duration.ofMinutes(1), new StalledStore());
		Throwable failure = catchThrowable(() -> within(() -> manager.getShortTermTokenBlocking(Set.of())));
		assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(C2MAuthException.class);
		assertThat(failure.getCause()).hasMessageContaining("did not answer within PT0.2S (the store timeout)");
		assertThat(((C2MAuthException) failure.getCause()).getCode()).isEqualTo(LongTermTokenCoordinator.STORE_ERROR);
		assertThat(((C2MAuthException) failure.getCause()).getSettings()).containsExactly(C2MSetting.STORE_TIMEOUT);
		this.release.countDown();
		assertThat(within(() -> manager.getShortTermTokenBlocking(Set.of()))).isNotNull();
	}

	@Test
	void aBlockingCallerGivesUpAtTheBlockingTimeoutWhileTheRequestGoesOn() throws Exception {
		C2MTokenManager manager = manager(Duration.ofMinutes(1), Duration.ofMillis(200), new StalledStore());
		Throwable failure = catchThrowable(() -> within(() -> manager.getShortTermTokenBlocking(Set.of())));
		assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(C2MAuthException.class);
		assertThat(failure.getCause()).hasMessageContaining("no answer within PT0.2S (the blocking timeout)");
		assertThat(((C2MAuthException) failure.getCause()).getSettings()).containsExactly(C2MSetting.BLOCKING_TIMEOUT);
		this.release.countDown();
		// the request went on without the caller, and its token serves the next one
		assertThat(within(() -> manager.getShortTermToken().block(Duration.ofSeconds(30)))).isNotNull();
	}

	@Test
	void aBlockingCallerOnANonBlockingThreadIsRefusedInsteadOfHoldingItUp() {
		C2MTokenManager manager = manager(Duration.ofMinutes(1), Duration.ofMinutes(1), null);
		Throwable refused = Mono.fromCallable(() -> manager.getShortTermTokenBlocking(Set.of()))
			.subscribeOn(Schedulers.parallel())
			.map(Object.class::cast)
			.onErrorResume(Mono::just)
			.block(Duration.ofSeconds(30)) instanceof Throwable ex ? ex : null;
		assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("parallel-");
		// once a token is held, it is served from the cache on any thread
		manager.getShortTermTokenBlocking(Set.of());
		assertThat(Mono.fromCallable(() -> manager.getShortTermTokenBlocking(Set.of()))
			.subscribeOn(Schedulers.parallel())
			.block(Duration.ofSeconds(30))).isNotNull();
	}

	private C2MTokenManager manager(Duration storeTimeout, Duration blockingTimeout, LongTermTokenStore store) {
		LongTermTokenSource source = new CredentialLongTermTokenSource(this.client, CLIENT_ID,
				new C2MCredential.ClientSecret("secret-1"), List.of(), Duration.ofDays(30), new MonotonicClock());
		C2MTokenManagerBuilder builder = C2MTokenManager.builder(this.client, source)
			.clock(new MonotonicClock())
			.policy(TokenPolicy.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(1)))
			.execution(new TokenExecution(this.storeScheduler, storeTimeout, blockingTimeout));
		if (store != null) {
			builder.longTermTokenStore(store, CLIENT_ID, Duration.ofMinutes(2), Duration.ofMinutes(1));
		}
		return builder.build();
	}

	/**
	 * Run on another thread and wait, bounded, so that a hang fails the test instead of
	 * hanging it.
	 */
	private static <T> T within(java.util.function.Supplier<T> work) throws Exception {
		return CompletableFuture.supplyAsync(work).get(60, TimeUnit.SECONDS);
	}

	/**
	 * The in-memory store, blocking or not as told, recording the threads it is read on.
	 */
	private final class RecordingStore extends ForwardingLongTermTokenStore {

		private final boolean blocking;

		RecordingStore(boolean blocking) {
			super(new InMemoryLongTermTokenStore());
			this.blocking = blocking;
		}

		@Override
		public Optional<StoredToken> load(String key) {
			BoundedWaitsTests.this.loadedOn.add(Thread.currentThread().getName());
			return super.load(key);
		}

		@Override
		public boolean isBlocking() {
			return this.blocking;
		}

	}

	/**
	 * A store whose first read does not end until the test releases it, as a database
	 * that stopped answering.
	 */
	private final class StalledStore extends ForwardingLongTermTokenStore {

		StalledStore() {
			super(new InMemoryLongTermTokenStore());
		}

		@Override
		public Optional<StoredToken> load(String key) {
			try {
				BoundedWaitsTests.this.release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return super.load(key);
		}

	}

}
