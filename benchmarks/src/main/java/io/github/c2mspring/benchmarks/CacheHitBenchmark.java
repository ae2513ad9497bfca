package io.github.c2mspring.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.security.C2MClientRegistrations;
import io.github.c2mspring.auth.security.C2MReactiveAuthorizedClientProvider;
import io.github.c2mspring.auth.security.C2MReactiveAuthorizedClientService;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.DefaultC2MAuthOperations;
import io.github.c2mspring.auth.token.MonotonicClock;
import io.github.c2mspring.auth.token.TokenPolicy;
import io.github.c2mspring.benchmarks.Benchmarks.Ours;
import io.github.c2mspring.benchmarks.Benchmarks.Side;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static io.github.c2mspring.benchmarks.Benchmarks.ALLOWED_SCOPES;
import static io.github.c2mspring.benchmarks.Benchmarks.CLIENT_ID;
import static io.github.c2mspring.benchmarks.Benchmarks.SECRET;
import static io.github.c2mspring.benchmarks.Benchmarks.SHORT_TERM_TTL;

/**
 * The {@code cache-hit} scenario: the cost of a call that finds a valid token, measured
 * with JMH (warm cache, 15-minute tokens from the emulator and from
 * {@link OAuth2TokenEndpoint}, real clock, no refresh during the measurement: the
 * tear-down fails the run if any side asked for a second token). A {@code volatile} read
 * is the floor; then {@link C2MAuthOperations#getAccessToken()}, our blocking and
 * reactive {@code authorize} against stock Spring Security's
 * {@code AuthorizedClientService*AuthorizedClientManager} with its client-credentials
 * provider; bytes per call of {@code getAccessToken()} from JMH's GC profiler. Prints one
 * {@code RESULT} line per thread count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// JMH calls start() (@Setup) before any benchmark method: the fields are set by then
@SuppressWarnings("NullAway.Init")
public class CacheHitBenchmark {

	private static final List<Integer> THREADS = List.of(1, 2);

	private static final String ALLOCATION = "gc.alloc.rate.norm";

	private C2MEmulator emulator;

	private OAuth2TokenEndpoint oauth2;

	private C2MTokenManager tokens;

	private volatile String token;

	private C2MAuthOperations operations;

	private Side ours;

	private Side spring;

	private ReactiveOAuth2AuthorizedClientManager oursReactive;

	private ReactiveOAuth2AuthorizedClientManager springReactive;

	private OAuth2AuthorizeRequest oursRequest;

	private OAuth2AuthorizeRequest springRequest;

	/**
	 * Starts both servers and both sides, and fills every cache.
	 */
	@Setup(Level.Trial)
	public void start() {
		Clock clock = Clock.systemUTC();
		this.emulator = Benchmarks.emulator(clock);
		try {
			this.oauth2 = OAuth2TokenEndpoint.start(clock, SHORT_TERM_TTL, CLIENT_ID, SECRET, ALLOWED_SCOPES);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		// each side on its own default clock: the starter's manager measures expiry on a
		// MonotonicClock (unless an application gives it a c2mClock), Spring's on the
		// system clock
		Ours ours = Benchmarks.ours(this.emulator, new MonotonicClock(), TokenPolicy.defaults());
		this.tokens = ours.tokens();
		this.ours = ours.side();
		this.spring = Benchmarks.spring(this.oauth2, clock, Duration.ofSeconds(60));
		this.operations = new DefaultC2MAuthOperations(
				new C2MAuthClient(WebClient.builder().baseUrl(this.emulator.baseUrl()).build(),
						ObservationRegistry.NOOP, Duration.ofSeconds(30)),
				this.tokens);
		this.oursReactive = oursReactive(this.emulator, this.tokens);
		this.springReactive = springReactive(this.oauth2);
		this.oursRequest = request(C2MClientRegistrations.REGISTRATION_ID);
		this.springRequest = request("spring");
		this.token = this.operations.getAccessToken();
		oursAuthorize();
		springAuthorize();
		oursReactive();
		springReactive();
	}

	/**
	 * Stops the servers; fails the run if a token was obtained more than once per side (a
	 * refresh during the measurement).
	 */
	@TearDown(Level.Trial)
	public void stop() {
		int exchanges = this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN);
		int springRequests = this.oauth2.requestCount();
		this.emulator.close();
		this.oauth2.close();
		if (exchanges != 1 || springRequests != 2) {
			throw new IllegalStateException("a token was obtained during the measurement: " + exchanges
					+ " exchanges (1 expected), " + springRequests + " token requests from Spring (2 expected)");
		}
	}

	/**
	 * The floor: a {@code volatile} read of a token value.
	 * @return the token value
	 */
	@Benchmark
	public String volatileRead() {
		return this.token;
	}

	/**
	 * {@link C2MAuthOperations#getAccessToken()}.
	 * @return the token value
	 */
	@Benchmark
	public String oursOperations() {
		return this.operations.getAccessToken();
	}

	/**
	 * Our blocking {@code OAuth2AuthorizedClientManager}.
	 * @return the authorized client
	 */
	@Benchmark
	public @Nullable OAuth2AuthorizedClient oursAuthorize() {
		return this.ours.manager().authorize(this.oursRequest);
	}

	/**
	 * Stock Spring Security's blocking manager, client credentials.
	 * @return the authorized client
	 */
	@Benchmark
	public @Nullable OAuth2AuthorizedClient springAuthorize() {
		return this.spring.manager().authorize(this.springRequest);
	}

	/**
	 * Our reactive manager.
	 * @return the authorized client
	 */
	@Benchmark
	public @Nullable OAuth2AuthorizedClient oursReactive() {
		return this.oursReactive.authorize(this.oursRequest).block();
	}

	/**
	 * Stock Spring Security's reactive manager, client credentials.
	 * @return the authorized client
	 */
	@Benchmark
	public @Nullable OAuth2AuthorizedClient springReactive() {
		return this.springReactive.authorize(this.springRequest).block();
	}

	private static OAuth2AuthorizeRequest request(String registrationId) {
		return OAuth2AuthorizeRequest.withClientRegistrationId(registrationId).principal("benchmark").build();
	}

	private static ReactiveOAuth2AuthorizedClientManager oursReactive(C2MEmulator emulator, C2MTokenManager tokens) {
		AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(
				new InMemoryReactiveClientRegistrationRepository(
						C2MClientRegistrations.c2m(emulator.baseUrl(), CLIENT_ID, List.of("jobs:submit"))),
				new C2MReactiveAuthorizedClientService(tokens));
		manager.setAuthorizedClientProvider(new C2MReactiveAuthorizedClientProvider(tokens));
		return manager;
	}

	private static ReactiveOAuth2AuthorizedClientManager springReactive(OAuth2TokenEndpoint oauth2) {
		ClientRegistration registration = ClientRegistration.withRegistrationId("spring")
			.clientId(CLIENT_ID)
			.clientSecret(SECRET)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.tokenUri(oauth2.tokenUri())
			.scope("jobs:submit")
			.build();
		InMemoryReactiveClientRegistrationRepository registrations = new InMemoryReactiveClientRegistrationRepository(
				registration);
		AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(
				registrations, new InMemoryReactiveOAuth2AuthorizedClientService(registrations));
		manager.setAuthorizedClientProvider(new ClientCredentialsReactiveOAuth2AuthorizedClientProvider());
		return manager;
	}

	/**
	 * Runs the benchmarks in a forked JVM (the classpath of this one), once per thread
	 * count, and prints one {@code RESULT} line for each.
	 * @throws Exception if JMH fails
	 */
	static void run() throws Exception {
		for (int threads : THREADS) {
			Options options = new OptionsBuilder().include(CacheHitBenchmark.class.getName() + "\\.")
				.forks(1)
				.threads(threads)
				.warmupIterations(3)
				.warmupTime(TimeValue.seconds(1))
				.measurementIterations(5)
				.measurementTime(TimeValue.seconds(1))
				.addProfiler(GCProfiler.class)
				.shouldFailOnError(true)
				.verbosity(VerboseMode.SILENT)
				.build();
			Collection<RunResult> results = new Runner(options).run();
			Map<String, RunResult> byName = new HashMap<>();
			for (RunResult result : results) {
				String benchmark = result.getParams().getBenchmark();
				byName.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), result);
			}
			System.out.printf(Locale.ROOT,
					"RESULT scenario=cache-hit threads=%d volatile_ns=%.1f ours_operations_ns=%.1f ours_authorize_ns=%.1f "
							+ "spring_authorize_ns=%.1f ours_reactive_ns=%.1f spring_reactive_ns=%.1f ours_bytes_per_op=%.0f%n",
					threads, score(byName, "volatileRead"), score(byName, "oursOperations"),
					score(byName, "oursAuthorize"), score(byName, "springAuthorize"), score(byName, "oursReactive"),
					score(byName, "springReactive"), allocation(result(byName, "oursOperations")));
		}
	}

	private static double score(Map<String, RunResult> results, String benchmark) {
		return result(results, benchmark).getPrimaryResult().getScore();
	}

	private static RunResult result(Map<String, RunResult> results, String benchmark) {
		RunResult result = results.get(benchmark);
		if (result == null) {
			throw new IllegalStateException("JMH gave no result for " + benchmark);
		}
		return result;
	}

	private static double allocation(RunResult result) {
		for (Map.Entry<String, Result> secondary : result.getSecondaryResults().entrySet()) {
			if (secondary.getKey().endsWith(ALLOCATION)) {
				return secondary.getValue().getScore();
			}
		}
		throw new IllegalStateException("JMH's GC profiler gave no " + ALLOCATION);
	}

}
