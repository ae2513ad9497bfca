package io.github.c2mspring.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.security.C2MAuthorizedClientProvider;
import io.github.c2mspring.auth.security.C2MAuthorizedClientService;
import io.github.c2mspring.auth.security.C2MClientRegistrations;
import io.github.c2mspring.auth.store.EncryptingLongTermTokenStore;
import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.TokenCipher;
import io.github.c2mspring.auth.store.jdbc.C2MStoreSchema;
import io.github.c2mspring.auth.store.jdbc.JdbcLongTermTokenStore;
import io.github.c2mspring.auth.store.redis.RedisLongTermTokenStore;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.CredentialLongTermTokenSource;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.ManualClock;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A fleet of three instances over eight virtual hours (and ten minutes), side by side
 * with the same fleet without a shared store: three {@link C2MTokenManager}s sharing the
 * JDBC store on a real PostgreSQL ({@code fleet}) or the Redis store on a real Redis
 * ({@code fleet-redis}), and three that each keep their token in their own memory,
 * against one emulator, on one virtual clock. Long-term tokens live 4 hours and rotate at
 * half-life; every virtual minute each instance makes calls to the protected endpoint
 * through Spring Security's interceptor while its background checker runs. Then the same
 * two fleets start from a one-time code. Prints one {@code RESULT} line.
 */
final class FleetBenchmark {

	private static final int INSTANCES = 3;

	private static final int CALLERS = 4;

	private static final int HOURS = 8;

	/**
	 * Walked after the last hour, so that a rotation in the last minute is seen by every
	 * instance.
	 */
	private static final int TAIL_MINUTES = 10;

	private static final String TABLE = "c2m_long_term_token_bench";

	private FleetBenchmark() {
	}

	/**
	 * The {@code fleet} scenario: the JDBC store on PostgreSQL.
	 */
	static void run() throws Exception {
		DataSource database = postgres();
		JdbcTemplate jdbc = new JdbcTemplate(database);
		jdbc.execute("DROP TABLE IF EXISTS " + TABLE);
		jdbc.execute(C2MStoreSchema.script(TABLE));
		run("fleet", new JdbcLongTermTokenStore(database, TABLE));
	}

	/**
	 * The {@code fleet-redis} scenario: the Redis store on a Redis server.
	 */
	static void runRedis() throws Exception {
		URI url = URI.create(Optional.ofNullable(System.getenv("C2M_BENCH_REDIS_URL"))
			.or(() -> Optional.ofNullable(System.getenv("C2M_TEST_REDIS_URL")))
			.filter((value) -> !value.isBlank())
			.orElseThrow(() -> new IllegalStateException("the fleet-redis scenario needs a Redis server: set "
					+ "C2M_BENCH_REDIS_URL to its URL (benchmarks/run starts one with .ci/start-redis)")));
		LettuceConnectionFactory redis = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(url.getHost(), url.getPort()));
		redis.afterPropertiesSet();
		redis.start();
		try {
			run("fleet-redis",
					new RedisLongTermTokenStore(redis, "c2m-bench:" + UUID.randomUUID() + ":", Duration.ofMinutes(5)));
		}
		finally {
			redis.destroy();
		}
	}

	private static void run(String scenario, LongTermTokenStore store) throws Exception {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		TokenCipher cipher = TokenCipher.aesGcm(Map.of("bench", Base64.getEncoder().encodeToString(key)));
		ManualClock clock = ManualClock.startingNow();
		try (C2MEmulator emulator = C2MEmulator.builder().clock(clock).start()) {
			for (String client : List.of("shared", "unshared", "shared-otp", "unshared-otp")) {
				emulator.clients()
					.register(client)
					.secret("secret")
					.otp("otp-1")
					.allowedScopes("jobs:submit", "tokens:write", "tokens:revoke");
			}
			CountingStore sharedStore = new CountingStore(new EncryptingLongTermTokenStore(store, cipher));
			List<Instance> shared = fleet(emulator, clock, "shared", new C2MCredential.ClientSecret("secret"),
					() -> sharedStore);
			List<Instance> unshared = fleet(emulator, clock, "unshared", new C2MCredential.ClientSecret("secret"),
					InMemoryLongTermTokenStore::new);
			List<Instance> everyone = new ArrayList<>(shared);
			everyone.addAll(unshared);
			LongAdder sharedFailures = new LongAdder();
			LongAdder unsharedFailures = new LongAdder();
			LongAdder sharedCalls = new LongAdder();
			LongAdder unsharedCalls = new LongAdder();
			ExecutorService callers = Executors.newFixedThreadPool(everyone.size() * CALLERS);
			try {
				// the instances start together, then live 8 virtual hours (and a tail), a
				// minute at a time
				for (int minute = 0; minute <= HOURS * 60 + TAIL_MINUTES; minute++) {
					if (minute > 0) {
						clock.advance(Duration.ofMinutes(1));
					}
					Mono.when(everyone.stream().map((instance) -> instance.tokens().checkLongTermToken()).toList())
						.block(Duration.ofSeconds(60));
					call(callers, shared, sharedFailures, sharedCalls, minute == 0);
					call(callers, unshared, unsharedFailures, unsharedCalls, minute == 0);
					everyone.forEach((instance) -> Benchmarks.settle(instance.tokens()));
				}
			}
			finally {
				callers.shutdownNow();
			}
			FleetSummary sharing = FleetSummary.of(emulator, "shared");
			FleetSummary alone = FleetSummary.of(emulator, "unshared");
			boolean converged = shared.stream()
				.map((instance) -> instance.tokens().diagnostics().currentLongTermToken().map(LongTermToken::tokenId))
				.distinct()
				.count() == 1;
			double readsPerInstanceHour = sharedStore.reads.sum() / (INSTANCES * (double) HOURS);
			long writes = sharedStore.writes.sum();
			int otpShared = workingInstances(fleet(emulator, clock, "shared-otp",
					new C2MCredential.OneTimePassword("otp-1"), () -> sharedStore));
			int otpUnshared = workingInstances(fleet(emulator, clock, "unshared-otp",
					new C2MCredential.OneTimePassword("otp-1"), InMemoryLongTermTokenStore::new));
			System.out.printf("RESULT scenario=%s instances=%d virtual_hours=%d issuances=%d rotations=%d "
					+ "revoked_after_grace=%d min_revoke_delay_s=%d failed_calls=%d converged=%s "
					+ "store_reads_per_instance_hour=%.1f store_writes=%d unshared_issuances=%d unshared_rotations=%d "
					+ "calls=%d unshared_failed_calls=%d unshared_calls=%d otp_working_instances=%d "
					+ "unshared_otp_working_instances=%d%n", scenario, INSTANCES, HOURS, sharing.issuances(),
					sharing.rotations(), sharing.revokedAfterGrace(), sharing.minRevokeDelay().toSeconds(),
					sharedFailures.sum(), converged, readsPerInstanceHour, writes, alone.issuances(), alone.rotations(),
					sharedCalls.sum(), unsharedFailures.sum(), unsharedCalls.sum(), otpShared, otpUnshared);
		}
	}

	private static DataSource postgres() {
		String url = Optional.ofNullable(System.getenv("C2M_BENCH_POSTGRES_URL"))
			.or(() -> Optional.ofNullable(System.getenv("C2M_TEST_POSTGRES_URL")))
			.filter((value) -> !value.isBlank())
			.orElseThrow(() -> new IllegalStateException("the fleet scenario needs a PostgreSQL: set "
					+ "C2M_BENCH_POSTGRES_URL to its JDBC URL (benchmarks/run starts one with .ci/start-postgres)"));
		return new DriverManagerDataSource(url);
	}

	private static List<Instance> fleet(C2MEmulator emulator, ManualClock clock, String clientId,
			C2MCredential credential, Supplier<LongTermTokenStore> stores) {
		List<Instance> instances = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			instances.add(instance(emulator, clock, clientId, credential, stores.get()));
		}
		return instances;
	}

	private static Instance instance(C2MEmulator emulator, ManualClock clock, String clientId, C2MCredential credential,
			LongTermTokenStore store) {
		C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl(emulator.baseUrl()).build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(30));
		CredentialLongTermTokenSource source = new CredentialLongTermTokenSource(client, clientId, credential,
				List.of(), Duration.ofHours(4), clock);
		C2MTokenManager tokens = C2MTokenManager.builder(client, source)
			.defaultScopes(List.of("jobs:submit"))
			.clock(clock)
			.rotation(clientId, List.of(), Duration.ofHours(4))
			.longTermTokenStore(store, clientId, Duration.ofMinutes(2), Duration.ofMinutes(1))
			.build();
		AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
				new InMemoryClientRegistrationRepository(
						C2MClientRegistrations.c2m(emulator.baseUrl(), clientId, List.of("jobs:submit"))),
				new C2MAuthorizedClientService(tokens));
		manager.setAuthorizedClientProvider(new C2MAuthorizedClientProvider(tokens));
		RestClient api = Benchmarks.withInterceptor(HttpClient.newHttpClient(),
				new Benchmarks.Side(manager, C2MClientRegistrations.REGISTRATION_ID));
		return new Instance(tokens, api, emulator.baseUrl() + "/jobs/single-doc");
	}

	/**
	 * Every caller of every instance makes one call, all at once; a failed call is
	 * counted.
	 */
	private static void call(ExecutorService callers, List<Instance> fleet, LongAdder failures, LongAdder calls,
			boolean together) throws Exception {
		CyclicBarrier start = new CyclicBarrier(fleet.size() * CALLERS);
		List<Future<?>> done = new ArrayList<>();
		for (Instance instance : fleet) {
			for (int i = 0; i < CALLERS; i++) {
				done.add(callers.submit(() -> {
					if (together) {
						start.await();
					}
					if (!instance.call()) {
						failures.increment();
					}
					calls.increment();
					return null;
				}));
			}
		}
		for (Future<?> future : done) {
			future.get(60, TimeUnit.SECONDS);
		}
	}

	private static int workingInstances(List<Instance> fleet) throws Exception {
		ExecutorService starting = Executors.newFixedThreadPool(fleet.size());
		try {
			CyclicBarrier together = new CyclicBarrier(fleet.size());
			List<Future<Boolean>> results = new ArrayList<>();
			for (Instance instance : fleet) {
				results.add(starting.submit(() -> {
					together.await();
					return instance.call();
				}));
			}
			int working = 0;
			for (Future<Boolean> result : results) {
				working += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
			}
			return working;
		}
		finally {
			starting.shutdownNow();
		}
	}

	/** One instance: its token manager and its authorized client to the API. */
	private record Instance(C2MTokenManager tokens, RestClient api, String url) {

		boolean call() {
			try {
				this.api.post().uri(this.url).body("{}").retrieve().toBodilessEntity();
				return true;
			}
			catch (RuntimeException ex) {
				return false;
			}
		}

	}

}
