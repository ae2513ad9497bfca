package io.github.c2mspring.auth.security;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.CredentialLongTermTokenSource;
import io.github.c2mspring.auth.token.TokenPolicy;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.ManualClock;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link C2MAuthorizedClientProvider} and {@link C2MReactiveAuthorizedClientProvider}
 * behind Spring Security's managers, against the emulator: a cache hit reuses the
 * authorized client built for the token it holds, and a new token, another principal or
 * another scope set never gets a client built for something else.
 */
class C2MAuthorizedClientProviderTests {

	private final ManualClock clock = ManualClock.startingNow();

	private C2MEmulator emulator;

	private C2MTokenManager tokens;

	private OAuth2AuthorizedClientManager manager;

	private ReactiveOAuth2AuthorizedClientManager reactiveManager;

	private C2MReactiveAuthorizedClientService reactiveService;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().clock(this.clock).start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit", "templates:read");
		C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl(this.emulator.baseUrl()).build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(10));
		this.tokens = C2MTokenManager
			.builder(client,
					new CredentialLongTermTokenSource(client, "client-1", new C2MCredential.ClientSecret("secret-1"),
							List.of(), Duration.ofDays(30), this.clock))
			.defaultScopes(List.of("jobs:submit"))
			.clock(this.clock)
			.policy(TokenPolicy.defaults().withSafetyMargin(Duration.ofSeconds(60)))
			.build();
		ClientRegistration registration = C2MClientRegistrations.c2m(this.emulator.baseUrl(), "client-1",
				this.tokens.getDefaultScopes());
		AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
				new InMemoryClientRegistrationRepository(registration), new C2MAuthorizedClientService(this.tokens));
		manager.setAuthorizedClientProvider(new C2MAuthorizedClientProvider(this.tokens));
		this.manager = manager;
		this.reactiveService = new C2MReactiveAuthorizedClientService(this.tokens);
		AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager reactiveManager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(
				new InMemoryReactiveClientRegistrationRepository(registration), this.reactiveService);
		reactiveManager.setAuthorizedClientProvider(new C2MReactiveAuthorizedClientProvider(this.tokens));
		this.reactiveManager = reactiveManager;
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void aWarmAuthorizeOfARegistrationWithTheDefaultScopesAllocatesNothingInTheProvider() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
				"per-thread allocation counting");
		// scopes equal to the manager's default scopes, in a set of the registration's
		// own
		ClientRegistration registration = C2MClientRegistrations.c2m(this.emulator.baseUrl(), "client-1",
				List.of("jobs:submit"));
		assertThat(registration.getScopes()).isNotSameAs(this.tokens.getDefaultScopes());
		OAuth2AuthorizationContext context = OAuth2AuthorizationContext.withClientRegistration(registration)
			.principal(UsernamePasswordAuthenticationToken.authenticated("batch", "n/a", List.of()))
			.build();
		C2MAuthorizedClientProvider provider = new C2MAuthorizedClientProvider(this.tokens);
		int sink = 0;
		for (int i = 0; i < 100_000; i++) {
			sink += provider.authorize(context).getPrincipalName().length();
		}
		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < 100_000; i++) {
			sink += provider.authorize(context).getPrincipalName().length();
		}
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(sink).isPositive();
		assertThat((double) allocated / 100_000).isLessThan(1.0);
		// served from the default scope set: one exchange, one miss
		assertThat(provider.authorize(context).getAccessToken().getTokenValue()).isEqualTo(held());
		assertThat(this.tokens.diagnostics().statistics().cacheMisses()).isEqualTo(1);
	}

	@Test
	void aProviderOfOneRegistrationLeavesEveryOtherToTheNextProvider() {
		ClientRegistration other = C2MClientRegistrations.of(C2MClientRegistrations.registrationId("billing"),
				this.emulator.baseUrl(), "client-1", List.of("jobs:submit"));
		assertThat(other.getRegistrationId()).isEqualTo("c2m-billing");
		OAuth2AuthorizationContext context = OAuth2AuthorizationContext.withClientRegistration(other)
			.principal(UsernamePasswordAuthenticationToken.authenticated("batch", "n/a", List.of()))
			.build();
		assertThat(new C2MAuthorizedClientProvider("c2m", this.tokens).authorize(context)).isNull();
		assertThat(new C2MReactiveAuthorizedClientProvider("c2m", this.tokens).authorize(context).blockOptional())
			.isEmpty();
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isZero();
		assertThat(new C2MAuthorizedClientProvider("c2m-billing", this.tokens).authorize(context)
			.getAccessToken()
			.getTokenValue()).isEqualTo(held());
		// without a registration id, the provider serves any registration of the exchange
		assertThat(new C2MAuthorizedClientProvider(this.tokens).authorize(context)).isNotNull();
	}

	@Test
	void removingTheClientOfOneRegistrationEvictsTheTokenOfThatAccountOnly() {
		String held = this.manager.authorize(request("batch")).getAccessToken().getTokenValue();
		new C2MAuthorizedClientService(Map.of("c2m-billing", this.tokens)).removeAuthorizedClient("c2m", "batch");
		assertThat(held()).isEqualTo(held);
		new C2MAuthorizedClientService(Map.of("c2m-billing", this.tokens)).removeAuthorizedClient("c2m-billing",
				"batch");
		assertThat(this.tokens.diagnostics().currentShortTermToken(List.of())).isEmpty();
	}

	@Test
	void aCacheHitReturnsTheClientBuiltForTheHeldToken() {
		OAuth2AuthorizedClient first = this.manager.authorize(request("batch"));
		OAuth2AuthorizedClient second = this.manager.authorize(request("batch"));
		assertThat(second).isSameAs(first);
		assertThat(second.getAccessToken().getTokenValue()).isEqualTo(held());
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
	}

	@Test
	void aNewTokenGetsANewClient() {
		OAuth2AuthorizedClient first = this.manager.authorize(request("batch"));
		this.tokens.evictions().evict(List.of(), first.getAccessToken().getTokenValue());
		OAuth2AuthorizedClient next = this.manager.authorize(request("batch"));
		assertThat(next.getAccessToken().getTokenValue()).isNotEqualTo(first.getAccessToken().getTokenValue())
			.isEqualTo(held());
		assertThat(this.manager.authorize(request("batch"))).isSameAs(next);
	}

	@Test
	void eachPrincipalGetsAClientInItsOwnName() {
		OAuth2AuthorizedClient batch = this.manager.authorize(request("batch"));
		OAuth2AuthorizedClient web = this.manager.authorize(request("web"));
		assertThat(batch.getPrincipalName()).isEqualTo("batch");
		assertThat(web.getPrincipalName()).isEqualTo("web");
		assertThat(web.getAccessToken().getTokenValue()).isEqualTo(batch.getAccessToken().getTokenValue());
		assertThat(this.manager.authorize(request("batch")).getPrincipalName()).isEqualTo("batch");
	}

	@Test
	void aScopeSetGetsAClientWithItsOwnToken() {
		OAuth2AuthorizedClient submit = this.manager.authorize(request("batch"));
		OAuth2AuthorizedClient templates = this.manager.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("c2m")
			.principal("batch")
			.attributes(C2MAuthorizeRequests.scopes(List.of("templates:read")))
			.build());
		assertThat(templates.getAccessToken().getScopes()).containsExactly("templates:read");
		assertThat(templates.getAccessToken().getTokenValue()).isNotEqualTo(submit.getAccessToken().getTokenValue());
		assertThat(this.manager.authorize(request("batch")).getAccessToken().getScopes())
			.containsExactly("jobs:submit");
	}

	@Test
	void aReactiveCacheHitReturnsTheClientBuiltForTheHeldToken() {
		OAuth2AuthorizedClient first = this.reactiveManager.authorize(request("batch")).block();
		OAuth2AuthorizedClient second = this.reactiveManager.authorize(request("batch")).block();
		assertThat(second).isSameAs(first);
		assertThat(second.getAccessToken().getTokenValue()).isEqualTo(held());
		this.tokens.evictions().evict(List.of(), second.getAccessToken().getTokenValue());
		OAuth2AuthorizedClient next = this.reactiveManager.authorize(request("web")).block();
		assertThat(next.getAccessToken().getTokenValue()).isNotEqualTo(first.getAccessToken().getTokenValue())
			.isEqualTo(held());
		assertThat(next.getPrincipalName()).isEqualTo("web");
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
	}

	@Test
	void theReactiveServiceLoadsTheSavedClientWhileItCarriesTheHeldToken() {
		assertThat(this.reactiveService.loadAuthorizedClient("c2m", "batch").block()).isNull();
		OAuth2AuthorizedClient first = this.reactiveManager.authorize(request("batch")).block();
		assertThat(this.reactiveService.<OAuth2AuthorizedClient>loadAuthorizedClient("c2m", "batch").block())
			.isSameAs(first);
		// another principal or registration loads nothing
		assertThat(this.reactiveService.loadAuthorizedClient("c2m", "web").block()).isNull();
		assertThat(this.reactiveService.loadAuthorizedClient("other", "batch").block()).isNull();
		// the provider has nothing to do for the loaded client, and the manager answers
		// with it
		OAuth2AuthorizationContext loaded = OAuth2AuthorizationContext.withAuthorizedClient(first)
			.principal(UsernamePasswordAuthenticationToken.authenticated("batch", "n/a", List.of()))
			.build();
		assertThat(new C2MReactiveAuthorizedClientProvider(this.tokens).authorize(loaded).block()).isNull();
		assertThat(this.reactiveManager.authorize(request("batch")).block()).isSameAs(first);

		// once the manager holds another token, the saved client is not loaded again
		this.tokens.evictions().evict(List.of(), first.getAccessToken().getTokenValue());
		assertThat(this.reactiveService.loadAuthorizedClient("c2m", "batch").block()).isNull();
		OAuth2AuthorizedClient next = this.reactiveManager.authorize(request("batch")).block();
		assertThat(next.getAccessToken().getTokenValue()).isNotEqualTo(first.getAccessToken().getTokenValue())
			.isEqualTo(held());
		assertThat(this.reactiveService.<OAuth2AuthorizedClient>loadAuthorizedClient("c2m", "batch").block())
			.isSameAs(next);
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
	}

	@Test
	void theReactiveProviderAuthorizesAgainWhenTheContextsClientCarriesAnotherToken() {
		OAuth2AuthorizedClient first = this.reactiveManager.authorize(request("batch")).block();
		this.tokens.evictions().evict(List.of(), first.getAccessToken().getTokenValue());
		OAuth2AuthorizationContext stale = OAuth2AuthorizationContext.withAuthorizedClient(first)
			.principal(UsernamePasswordAuthenticationToken.authenticated("batch", "n/a", List.of()))
			.build();
		OAuth2AuthorizedClient renewed = new C2MReactiveAuthorizedClientProvider(this.tokens).authorize(stale).block();
		assertThat(renewed).isNotNull();
		assertThat(renewed.getAccessToken().getTokenValue()).isEqualTo(held())
			.isNotEqualTo(first.getAccessToken().getTokenValue());
		// a client given with the request is authorized again too
		OAuth2AuthorizedClient fromRequest = this.reactiveManager
			.authorize(OAuth2AuthorizeRequest.withAuthorizedClient(first).principal("batch").build())
			.block();
		assertThat(fromRequest.getAccessToken().getTokenValue()).isEqualTo(held());
	}

	@Test
	void removingTheReactiveClientForgetsTheSavedClientAndTheToken() {
		OAuth2AuthorizedClient first = this.reactiveManager.authorize(request("batch")).block();
		this.reactiveService.removeAuthorizedClient("c2m", "batch").block();
		assertThat(this.reactiveService.loadAuthorizedClient("c2m", "batch").block()).isNull();
		OAuth2AuthorizedClient next = this.reactiveManager.authorize(request("batch")).block();
		assertThat(next.getAccessToken().getTokenValue()).isNotEqualTo(first.getAccessToken().getTokenValue());
	}

	private String held() {
		return this.tokens.diagnostics().currentShortTermToken(List.of()).orElseThrow().tokenValue();
	}

	private static OAuth2AuthorizeRequest request(String principal) {
		return OAuth2AuthorizeRequest.withClientRegistrationId("c2m").principal(principal).build();
	}

}
