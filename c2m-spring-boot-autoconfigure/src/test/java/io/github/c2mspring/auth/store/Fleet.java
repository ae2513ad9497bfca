package io.github.c2mspring.auth.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.ManualClock;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet for the store tests: application contexts sharing one storage (a database,
 * Redis) and one emulator, all on one clock that the test moves (the emulator's too, so
 * tokens expire and rotate in virtual time).
 */
final class Fleet implements AutoCloseable {

	static final String CLIENT_ID = "client-1";

	static final String KEY = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'Q');

	/** Settings of instances that rotate: a 2-hour token rotates after 1 hour. */
	static final String[] ROTATING = { "c2m.auth.long-term.ttl=2h", "c2m.auth.store.lease=2m" };

	final ManualClock clock = ManualClock.startingNow();

	final C2MEmulator emulator = C2MEmulator.builder().clock(this.clock).start();

	final FleetStorage storage;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	/**
	 * A fleet on a storage.
	 * @param storage where the instances keep the token; closed with the fleet
	 */
	Fleet(FleetStorage storage) {
		this.storage = storage;
		this.emulator.clients()
			.register(CLIENT_ID)
			.secret("secret-1")
			.allowedScopes("jobs:submit", "tokens:write", "tokens:revoke");
	}

	/**
	 * Start an instance on the shared storage.
	 * @param ownStore a store bean of the application's own, or {@code null} for the
	 * storage's store
	 * @param properties more properties ({@code c2m.auth.otp-code} replaces the client
	 * secret)
	 * @return the running instance
	 */
	ConfigurableApplicationContext start(LongTermTokenStore ownStore, String... properties) {
		List<String> all = new ArrayList<>(
				List.of("spring.main.banner-mode=off", "c2m.base-url=" + this.emulator.baseUrl(),
						"c2m.client-id=" + CLIENT_ID, "c2m.auth.store.encryption-key=" + KEY));
		if (Stream.of(properties).noneMatch((property) -> property.startsWith("c2m.auth.otp-code="))) {
			all.add("c2m.auth.client-secret=secret-1");
		}
		all.addAll(this.storage.properties());
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.initializers((initializing) -> {
				initializing.getBeanFactory().registerSingleton("c2mClock", this.clock);
				this.storage.register(initializing.getBeanFactory());
				if (ownStore != null) {
					initializing.getBeanFactory().registerSingleton("applicationsOwnTokenStore", ownStore);
				}
			})
			.run();
		this.contexts.add(context);
		return context;
	}

	/**
	 * A store on the fleet's storage, sealing as the instances do.
	 * @return the store
	 */
	LongTermTokenStore store() {
		return new EncryptingLongTermTokenStore(this.storage.store(), TokenCipher.aesGcm(Map.of("k1", KEY)));
	}

	/**
	 * What the fleet's storage holds.
	 * @return the stored entry
	 */
	StoredToken stored() {
		return store().load(CLIENT_ID).orElseThrow();
	}

	static C2MTokenManager manager(ConfigurableApplicationContext instance) {
		return instance.getBean(C2MTokenManager.class);
	}

	static LongTermToken longTermToken(ConfigurableApplicationContext instance) {
		return manager(instance).diagnostics().currentLongTermToken().orElseThrow();
	}

	/**
	 * What the background checker of every instance does at each interval, all at once.
	 * @param instances the instances
	 */
	static void tick(List<ConfigurableApplicationContext> instances) {
		Mono.when(instances.stream().map((instance) -> manager(instance).checkLongTermToken()).toList())
			.block(Duration.ofSeconds(30));
	}

	/**
	 * Wait until no instance has a token request in flight.
	 * @param instances the instances
	 */
	static void awaitIdle(List<ConfigurableApplicationContext> instances) {
		awaitTrue(() -> instances.stream().allMatch((instance) -> manager(instance).diagnostics().isIdle()));
	}

	/** Waits for a condition another thread makes true (bounded; no fixed sleep). */
	static void awaitTrue(BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.emulator.close();
		this.storage.close();
	}

	/**
	 * Callers that submit jobs through each instance's {@code c2mRestClient}, as many
	 * calls as the test releases, several at once per instance; every failure is kept.
	 */
	static final class Load implements AutoCloseable {

		private final List<Semaphore> permits = new ArrayList<>();

		private final List<AtomicLong> released = new ArrayList<>();

		private final List<AtomicLong> done = new ArrayList<>();

		final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

		private final ExecutorService callers;

		Load(List<ConfigurableApplicationContext> instances, int callersPerInstance) {
			this.callers = Executors.newFixedThreadPool(instances.size() * callersPerInstance);
			for (ConfigurableApplicationContext instance : instances) {
				Semaphore semaphore = new Semaphore(0);
				AtomicLong completed = new AtomicLong();
				this.permits.add(semaphore);
				this.released.add(new AtomicLong());
				this.done.add(completed);
				RestClient client = instance.getBean("c2mRestClient", RestClient.class);
				for (int i = 0; i < callersPerInstance; i++) {
					this.callers.submit(() -> call(client, semaphore, completed));
				}
			}
		}

		private void call(RestClient client, Semaphore semaphore, AtomicLong completed) {
			while (true) {
				try {
					semaphore.acquire();
				}
				catch (InterruptedException ex) {
					return;
				}
				try {
					client.post()
						.uri("/jobs/single-doc")
						.body(Map.of("document_ref", "doc"))
						.retrieve()
						.toBodilessEntity();
				}
				catch (RuntimeException ex) {
					this.failures.add(ex);
				}
				completed.incrementAndGet();
			}
		}

		/**
		 * Let every instance make some calls, and wait until they are answered.
		 * @param callsPerInstance how many calls each instance makes
		 */
		void callAndWait(int callsPerInstance) {
			for (int i = 0; i < this.permits.size(); i++) {
				this.released.get(i).addAndGet(callsPerInstance);
				this.permits.get(i).release(callsPerInstance);
			}
			awaitTrue(() -> Stream.iterate(0, (i) -> i + 1)
				.limit(this.permits.size())
				.allMatch((i) -> this.done.get(i).get() == this.released.get(i).get()));
		}

		long calls() {
			return this.done.stream().mapToLong(AtomicLong::get).sum();
		}

		@Override
		public void close() {
			this.callers.shutdownNow();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
