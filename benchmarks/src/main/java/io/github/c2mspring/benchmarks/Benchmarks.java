package io.github.c2mspring.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import com.sun.net.httpserver.HttpServer;
import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.security.C2MAuthorizedClientProvider;
import io.github.c2mspring.auth.security.C2MAuthorizedClientService;
import io.github.c2mspring.auth.security.C2MClientRegistrations;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.CredentialLongTermTokenSource;
import io.github.c2mspring.auth.token.TokenPolicy;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.ManualClock;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The starter's token management against stock Spring Security 7.1
 * ({@code AuthorizedClientServiceOAuth2AuthorizedClientManager} with its
 * client-credentials provider, the documented setup outside a servlet request), side by
 * side in one run, against local servers: the C2M emulator for ours, and for Spring's a
 * standard OAuth 2 token endpoint ({@link OAuth2TokenEndpoint}) issuing tokens of the
 * same shape and lifetime, on the same clock, with the same faults. Both are driven
 * through {@link OAuth2AuthorizedClientManager#authorize}. Prints one {@code RESULT} line
 * per scenario.
 */
public final class Benchmarks {

	private static final String CLIENT_ID = "bench-client";

	private static final String SECRET = "bench-secret";

	private static final List<String> ALLOWED_SCOPES = List.of("jobs:submit", "tokens:write");

	/** The emulator's default lifetime of a short-term token. */
	private static final Duration SHORT_TERM_TTL = Duration.ofMinutes(15);

	private static final List<String> SCENARIOS = List.of("herd", "refresh-blocking", "overhead", "outage", "day",
			"fleet");

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		List<String> selected = (args.length == 0) ? SCENARIOS : Arrays.asList(args);
		for (String name : selected) {
			switch (name) {
				case "herd" -> herd();
				case "refresh-blocking" -> refreshBlocking();
				case "overhead" -> overhead();
				case "outage" -> outage();
				case "day" -> day();
				case "fleet" -> FleetBenchmark.run();
				default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; one of " + SCENARIOS);
			}
		}
		System.exit(0);
	}

	// -------------------------------------------------------------------------------
	// scenarios

	/**
	 * 1000 callers released together by a barrier: cold, then at the moment the token
	 * expires.
	 */
	static void herd() throws Exception {
		// virtual clocks start at the real time: Spring Security stamps its tokens with
		// Instant.now()
		ManualClock clock = ManualClock.startingNow();
		try (C2MEmulator emulator = emulator(clock);
				OAuth2TokenEndpoint oauth2 = OAuth2TokenEndpoint.start(clock, SHORT_TERM_TTL, CLIENT_ID, SECRET,
						ALLOWED_SCOPES)) {
			emulator.faults().always(Endpoint.SHORT_TERM_TOKEN, Fault.delay(Duration.ofMillis(100)));
			oauth2.delay(Duration.ofMillis(100));
			Ours ours = ours(emulator, clock, TokenPolicy.defaults());
			ours.tokens().getLongTermToken().block();
			Side spring = spring(oauth2, clock, Duration.ofSeconds(60));
			int callers = 1000;
			int oursCold = countRequests(() -> emulator.requestCount(Endpoint.SHORT_TERM_TOKEN),
					() -> release(callers, ours.side()));
			int springCold = countRequests(oauth2::requestCount, () -> release(callers, spring));
			System.out.printf(
					"RESULT scenario=herd phase=cold callers=%d ours_token_requests=%d spring_token_requests=%d%n",
					callers, oursCold, springCold);
			clock.advance(Duration.ofMinutes(15));
			int oursExpiry = countRequests(() -> emulator.requestCount(Endpoint.SHORT_TERM_TOKEN),
					() -> release(callers, ours.side()));
			int springExpiry = countRequests(oauth2::requestCount, () -> release(callers, spring));
			System.out.printf(
					"RESULT scenario=herd phase=expiry callers=%d ours_token_requests=%d spring_token_requests=%d%n",
					callers, oursExpiry, springExpiry);
		}
	}

	/**
	 * 16 callers per side in a loop for 12 s (real time, both sides at once), each call
	 * an authorized request to a loopback endpoint through Spring Security's
	 * {@code OAuth2ClientHttpRequestInterceptor}, across several refreshes of a 4 s
	 * token, with a token endpoint that takes 500 ms. A blocked call took at least 400
	 * ms.
	 */
	static void refreshBlocking() throws Exception {
		try (C2MEmulator emulator = C2MEmulator.builder().shortTermTtl(Duration.ofSeconds(4)).start();
				OAuth2TokenEndpoint oauth2 = OAuth2TokenEndpoint.start(Clock.systemUTC(), Duration.ofSeconds(4),
						CLIENT_ID, SECRET, ALLOWED_SCOPES)) {
			register(emulator);
			Ours ours = ours(emulator, Clock.systemUTC(),
					TokenPolicy.defaults().withSafetyMargin(Duration.ofSeconds(1)));
			Side spring = spring(oauth2, Clock.systemUTC(), Duration.ofSeconds(1));
			authorize(ours.side());
			authorize(spring);
			int oursBefore;
			int springBefore;
			HttpServer target = loopbackTarget();
			String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/jobs";
			HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
			List<Long> oursLatencies;
			List<Long> springLatencies;
			try {
				RestClient oursClient = withInterceptor(http, ours.side());
				RestClient springClient = withInterceptor(http, spring);
				// both sides run at the same time, 16 callers each, so that they share
				// the machine's
				// noise; a 2 s warm-up (excluded) first, with the slow token endpoint
				// already in place
				emulator.faults().always(Endpoint.SHORT_TERM_TOKEN, Fault.delay(Duration.ofMillis(500)));
				oauth2.delay(Duration.ofMillis(500));
				ExecutorService sides = Executors.newFixedThreadPool(2);
				Future<List<Long>> oursWarm = sides.submit(() -> loop(16, Duration.ofSeconds(2), oursClient, url));
				Future<List<Long>> springWarm = sides.submit(() -> loop(16, Duration.ofSeconds(2), springClient, url));
				oursWarm.get();
				springWarm.get();
				oursBefore = emulator.requestCount(Endpoint.SHORT_TERM_TOKEN);
				springBefore = oauth2.requestCount();
				Future<List<Long>> oursRun = sides.submit(() -> loop(16, Duration.ofSeconds(12), oursClient, url));
				Future<List<Long>> springRun = sides.submit(() -> loop(16, Duration.ofSeconds(12), springClient, url));
				oursLatencies = oursRun.get();
				springLatencies = springRun.get();
				sides.shutdown();
			}
			finally {
				target.stop(0);
			}
			System.out.printf(
					"RESULT scenario=refresh-blocking callers=16 seconds=12 token_ttl_s=4 endpoint_ms=500 ours_calls=%d spring_calls=%d "
							+ "ours_blocked_calls=%d spring_blocked_calls=%d ours_p99_ms=%.1f spring_p99_ms=%.1f "
							+ "ours_exchanges=%d spring_token_requests=%d%n",
					oursLatencies.size(), springLatencies.size(), blocked(oursLatencies), blocked(springLatencies),
					p99(oursLatencies), p99(springLatencies),
					emulator.requestCount(Endpoint.SHORT_TERM_TOKEN) - oursBefore,
					oauth2.requestCount() - springBefore);
		}
	}

	/**
	 * Throughput of authorized calls to a loopback endpoint, divided by the throughput of
	 * the same calls with a fixed header: 5 interleaved rounds of 2 s per variant, median
	 * ratio.
	 */
	static void overhead() throws Exception {
		HttpServer target = loopbackTarget();
		String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/jobs";
		try (C2MEmulator emulator = emulator(Clock.systemUTC());
				OAuth2TokenEndpoint oauth2 = OAuth2TokenEndpoint.start(Clock.systemUTC(), SHORT_TERM_TTL, CLIENT_ID,
						SECRET, ALLOWED_SCOPES)) {
			Ours ours = ours(emulator, Clock.systemUTC(), TokenPolicy.defaults());
			Side spring = spring(oauth2, Clock.systemUTC(), Duration.ofSeconds(60));
			HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
			RestClient baseline = RestClient.builder()
				.requestFactory(new JdkClientHttpRequestFactory(http))
				.defaultHeader("Authorization", "Bearer " + authorize(ours.side()))
				.build();
			RestClient oursClient = withInterceptor(http, ours.side());
			RestClient springClient = withInterceptor(http, spring);
			Map<String, RestClient> variants = Map.of("baseline", baseline, "ours", oursClient, "spring", springClient);
			for (RestClient client : variants.values()) {
				throughput(client, url, Duration.ofMillis(500));
			}
			List<Double> oursRatios = new ArrayList<>();
			List<Double> springRatios = new ArrayList<>();
			for (int round = 0; round < 5; round++) {
				double base = throughput(baseline, url, Duration.ofSeconds(2));
				double o = throughput(oursClient, url, Duration.ofSeconds(2));
				double s = throughput(springClient, url, Duration.ofSeconds(2));
				double base2 = throughput(baseline, url, Duration.ofSeconds(2));
				double reference = (base + base2) / 2;
				oursRatios.add(o / reference);
				springRatios.add(s / reference);
			}
			System.out.printf(Locale.ROOT,
					"RESULT scenario=overhead threads=4 rounds=5 ours_ratio=%.3f spring_ratio=%.3f%n",
					median(oursRatios), median(springRatios));
		}
		finally {
			target.stop(0);
		}
	}

	/**
	 * A token endpoint that fails (503) from minute 10 to minute 14:30 of a 15-minute
	 * token's life, a stretch shorter than the token's remaining life when it starts; 4
	 * callers a second, on a virtual clock.
	 */
	static void outage() throws Exception {
		ManualClock clock = ManualClock.startingNow();
		try (C2MEmulator emulator = emulator(clock);
				OAuth2TokenEndpoint oauth2 = OAuth2TokenEndpoint.start(clock, SHORT_TERM_TTL, CLIENT_ID, SECRET,
						ALLOWED_SCOPES)) {
			Ours ours = ours(emulator, clock, TokenPolicy.defaults());
			Side spring = spring(oauth2, clock, Duration.ofSeconds(60));
			authorize(ours.side());
			authorize(spring);
			Instant start = clock.instant();
			int oursBefore = emulator.requestCount(Endpoint.SHORT_TERM_TOKEN);
			int springBefore = oauth2.requestCount();
			long oursFailed = 0;
			long springFailed = 0;
			boolean outage = false;
			while (clock.instant().isBefore(start.plus(Duration.ofMinutes(20)))) {
				Duration elapsed = Duration.between(start, clock.instant());
				boolean shouldFail = elapsed.compareTo(Duration.ofMinutes(10)) >= 0
						&& elapsed.compareTo(Duration.ofMinutes(14).plusSeconds(30)) < 0;
				if (shouldFail != outage) {
					outage = shouldFail;
					if (outage) {
						emulator.faults().always(Endpoint.SHORT_TERM_TOKEN, Fault.status(503));
						oauth2.fail(503);
					}
					else {
						emulator.faults().clear();
						oauth2.clear();
					}
				}
				for (int i = 0; i < 4; i++) {
					oursFailed += tryAuthorize(ours.side()) ? 0 : 1;
					springFailed += tryAuthorize(spring) ? 0 : 1;
				}
				settle(ours.tokens());
				clock.advance(Duration.ofSeconds(1));
			}
			System.out.printf(
					"RESULT scenario=outage token_ttl_min=15 outage=10:00-14:30 callers_per_s=4 ours_failed_calls=%d spring_failed_calls=%d "
							+ "ours_token_requests=%d spring_token_requests=%d%n",
					oursFailed, springFailed, emulator.requestCount(Endpoint.SHORT_TERM_TOKEN) - oursBefore,
					oauth2.requestCount() - springBefore);
		}
	}

	/**
	 * A simulated day on a virtual clock, one call every 10 s, 15-minute tokens refreshed
	 * half-way (jitter off: it only spreads a fleet).
	 */
	static void day() throws Exception {
		ManualClock clock = ManualClock.startingNow();
		try (C2MEmulator emulator = emulator(clock);
				OAuth2TokenEndpoint oauth2 = OAuth2TokenEndpoint.start(clock, SHORT_TERM_TTL, CLIENT_ID, SECRET,
						ALLOWED_SCOPES)) {
			TokenPolicy policy = TokenPolicy.defaults().withRefresh(0.5, 0.0);
			Ours ours = ours(emulator, clock, policy);
			Side spring = spring(oauth2, clock, Duration.ofSeconds(60));
			Instant end = clock.instant().plus(Duration.ofHours(24));
			long failed = 0;
			while (clock.instant().isBefore(end)) {
				failed += tryAuthorize(ours.side()) ? 0 : 1;
				failed += tryAuthorize(spring) ? 0 : 1;
				settle(ours.tokens());
				clock.advance(Duration.ofSeconds(10));
			}
			long minimum = (long) Math.ceil(Duration.ofHours(24).toSeconds() / (900 * policy.refreshAt()));
			System.out.printf(
					"RESULT scenario=day virtual_hours=24 ours_exchanges=%d minimum_exchanges=%d spring_token_requests=%d "
							+ "ours_blocked_calls=%d failed_calls=%d%n",
					emulator.requestCount(Endpoint.SHORT_TERM_TOKEN), minimum, oauth2.requestCount(),
					ours.tokens().statistics().cacheMisses(), failed);
		}
	}

	// -------------------------------------------------------------------------------
	// set-up

	/** An API stand-in on loopback that answers 204 to anything, as fast as it can. */
	static HttpServer loopbackTarget() throws IOException {
		HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
		target.setExecutor(Executors.newFixedThreadPool(16));
		target.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		target.start();
		return target;
	}

	/** One side of a comparison: a manager and the registration it authorizes. */
	record Side(OAuth2AuthorizedClientManager manager, String registrationId) {
	}

	/** The starter's side, and its token manager. */
	record Ours(Side side, C2MTokenManager tokens) {
	}

	static C2MEmulator emulator(Clock clock) {
		C2MEmulator emulator = C2MEmulator.builder().clock(clock).start();
		register(emulator);
		return emulator;
	}

	static void register(C2MEmulator emulator) {
		emulator.clients().register(CLIENT_ID).secret(SECRET).allowedScopes(ALLOWED_SCOPES.toArray(String[]::new));
	}

	static Ours ours(C2MEmulator emulator, Clock clock, TokenPolicy policy) {
		C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl(emulator.baseUrl()).build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(30));
		CredentialLongTermTokenSource source = new CredentialLongTermTokenSource(client, CLIENT_ID,
				new C2MCredential.ClientSecret(SECRET), List.of(), Duration.ofDays(30), clock);
		C2MTokenManager tokens = C2MTokenManager.builder(client, source)
			.defaultScopes(List.of("jobs:submit"))
			.clock(clock)
			.policy(policy)
			.build();
		AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
				new InMemoryClientRegistrationRepository(
						C2MClientRegistrations.c2m(emulator.baseUrl(), CLIENT_ID, List.of("jobs:submit"))),
				new C2MAuthorizedClientService(tokens));
		manager.setAuthorizedClientProvider(new C2MAuthorizedClientProvider(tokens));
		return new Ours(new Side(manager, C2MClientRegistrations.REGISTRATION_ID), tokens);
	}

	static Side spring(OAuth2TokenEndpoint oauth2, Clock clock, Duration clockSkew) {
		ClientRegistration registration = ClientRegistration.withRegistrationId("spring")
			.clientId(CLIENT_ID)
			.clientSecret(SECRET)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.tokenUri(oauth2.tokenUri())
			.scope("jobs:submit")
			.build();
		InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
		ClientCredentialsOAuth2AuthorizedClientProvider provider = new ClientCredentialsOAuth2AuthorizedClientProvider();
		provider.setClock(clock);
		provider.setClockSkew(clockSkew);
		// Stock Spring Security stamps a token's expiry with Instant.now(); on a virtual
		// clock that
		// would make every token look expired, so the expiry is shifted onto the
		// benchmark's clock.
		// Nothing else differs from the stock client (on a real clock the shift is zero).
		RestClientClientCredentialsTokenResponseClient stock = new RestClientClientCredentialsTokenResponseClient();
		provider.setAccessTokenResponseClient((request) -> {
			OAuth2AccessTokenResponse response = stock.getTokenResponse(request);
			OAuth2AccessToken token = response.getAccessToken();
			long lifetime = Duration.between(token.getIssuedAt(), token.getExpiresAt()).toSeconds();
			long shift = Duration.between(Instant.now(), clock.instant()).toSeconds();
			return OAuth2AccessTokenResponse.withToken(token.getTokenValue())
				.tokenType(token.getTokenType())
				.scopes(token.getScopes())
				.expiresIn(lifetime + shift)
				.build();
		});
		AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
				registrations, new InMemoryOAuth2AuthorizedClientService(registrations));
		manager.setAuthorizedClientProvider(provider);
		return new Side(manager, "spring");
	}

	static String authorize(Side side) {
		return side.manager()
			.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(side.registrationId())
				.principal("benchmark")
				.build())
			.getAccessToken()
			.getTokenValue();
	}

	static boolean tryAuthorize(Side side) {
		try {
			return authorize(side) != null;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	static RestClient withInterceptor(HttpClient http, Side side) {
		OAuth2ClientHttpRequestInterceptor interceptor = new OAuth2ClientHttpRequestInterceptor(side.manager());
		interceptor.setClientRegistrationIdResolver((request) -> side.registrationId());
		return RestClient.builder()
			.requestFactory(new JdkClientHttpRequestFactory(http))
			.requestInterceptor(interceptor)
			.build();
	}

	// -------------------------------------------------------------------------------
	// measuring

	static int countRequests(IntSupplier requests, ThrowingRunnable action) throws Exception {
		int before = requests.getAsInt();
		action.run();
		return requests.getAsInt() - before;
	}

	static void release(int callers, Side manager) throws Exception {
		CyclicBarrier barrier = new CyclicBarrier(callers);
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				results.add(pool.submit(() -> {
					barrier.await();
					return tryAuthorize(manager);
				}));
			}
			for (Future<Boolean> result : results) {
				result.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	static List<Long> loop(int callers, Duration duration, RestClient client, String url) throws Exception {
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		long end = System.nanoTime() + duration.toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				done.add(pool.submit(() -> {
					while (System.nanoTime() < end) {
						long start = System.nanoTime();
						try {
							client.post().uri(url).body("{}").retrieve().toBodilessEntity();
						}
						catch (RuntimeException ex) {
							// a failed call still counts with its latency
						}
						latencies.add(System.nanoTime() - start);
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		return new ArrayList<>(latencies);
	}

	static long blocked(List<Long> latencies) {
		return latencies.stream().filter((nanos) -> nanos >= TimeUnit.MILLISECONDS.toNanos(400)).count();
	}

	static double p99(List<Long> latencies) {
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1_000_000.0;
	}

	static double throughput(RestClient client, String url, Duration duration) throws Exception {
		int threads = 4;
		LongAdder calls = new LongAdder();
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			for (int i = 0; i < threads; i++) {
				pool.submit(() -> {
					while (running.get()) {
						client.post().uri(url).body("{}").retrieve().toBodilessEntity();
						calls.increment();
					}
					return null;
				});
			}
			long start = System.nanoTime();
			Thread.sleep(duration.toMillis());
			running.set(false);
			long count = calls.sum();
			return count / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			pool.shutdown();
			pool.awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

	/**
	 * Waits until the manager has no request in flight, so virtual time does not outrun
	 * it.
	 */
	static void settle(C2MTokenManager tokens) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!tokens.isIdle() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
	}

	interface ThrowingRunnable {

		void run() throws Exception;

	}

}
