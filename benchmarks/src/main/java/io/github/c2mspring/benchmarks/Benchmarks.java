package io.github.c2mspring.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
import io.micrometer.observation.ObservationRegistry;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
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
 * per scenario (or per phase or thread count).
 * <p>
 * This class dispatches by scenario name and holds the set-up the scenarios share; each
 * scenario is a class of its own ({@link HerdBenchmark},
 * {@link RefreshBlockingBenchmark}, {@link OverheadBenchmark}, {@link OutageBenchmark},
 * {@link DayBenchmark}, {@link FleetBenchmark}, {@link CacheHitBenchmark},
 * {@link StartupBenchmark}, {@link AccountsBenchmark}), measuring with
 * {@link Measurements}.
 */
public final class Benchmarks {

	static final String CLIENT_ID = "bench-client";

	static final String SECRET = "bench-secret";

	static final List<String> ALLOWED_SCOPES = List.of("jobs:submit", "tokens:write");

	/** The emulator's default lifetime of a short-term token. */
	static final Duration SHORT_TERM_TTL = Duration.ofMinutes(15);

	private static final List<String> SCENARIOS = List.of("herd", "refresh-blocking", "overhead", "outage", "day",
			"fleet", "fleet-redis", "cache-hit", "startup", "accounts");

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		List<String> selected = (args.length == 0) ? SCENARIOS : Arrays.asList(args);
		for (String name : selected) {
			switch (name) {
				case "herd" -> HerdBenchmark.run();
				case "refresh-blocking" -> RefreshBlockingBenchmark.run();
				case "overhead" -> OverheadBenchmark.run();
				case "outage" -> OutageBenchmark.run();
				case "day" -> DayBenchmark.run();
				case "fleet" -> FleetBenchmark.run();
				case "fleet-redis" -> FleetBenchmark.runRedis();
				case "cache-hit" -> CacheHitBenchmark.run();
				case "startup" -> StartupBenchmark.run();
				case "accounts" -> AccountsBenchmark.run();
				default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; one of " + SCENARIOS);
			}
		}
		System.exit(0);
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
		OAuth2AuthorizedClient client = side.manager()
			.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(side.registrationId())
				.principal("benchmark")
				.build());
		if (client == null) {
			throw new IllegalStateException("No authorized client for " + side.registrationId());
		}
		return client.getAccessToken().getTokenValue();
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

	/**
	 * Waits until the manager has no request in flight, so virtual time does not outrun
	 * it.
	 */
	static void settle(C2MTokenManager tokens) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!tokens.diagnostics().isIdle() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
	}

}
