package io.github.c2mspring.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.c2mspring.actuate.C2MHealthIndicator;
import io.github.c2mspring.auth.token.C2MTokenEvent;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.IssuedToken;
import io.github.c2mspring.emulator.ManualClock;
import io.github.c2mspring.emulator.SubmittedJob;
import io.github.c2mspring.emulator.TokenKind;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Several Click2Mail accounts configured only in properties: {@code c2m.*} for the
 * default one and {@code c2m.clients.<name>.*} for the others, each taking every setting
 * it does not set from {@code c2m.*} except its identity and credential, each with its
 * own tokens, against one emulator, under concurrent load.
 */
class MultipleAccountsTests {

	private static final Map<String, String> CLIENT_IDS = Map.of("default", "default-id", "billing", "billing-id",
			"marketing", "marketing-id");

	private C2MEmulator emulator;

	private ApplicationContextRunner runner;

	private final List<C2MTokenEvent> events = new CopyOnWriteArrayList<>();

	private final ManualClock clock = ManualClock.startingNow();

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().clock(this.clock).start();
		CLIENT_IDS.forEach((name, clientId) -> this.emulator.clients()
			.register(clientId)
			.secret(name + "-secret")
			.allowedScopes("jobs:submit", "tokens:write", "tokens:revoke"));
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					WebClientAutoConfiguration.class, RestClientAutoConfiguration.class, C2MAutoConfiguration.class,
					C2MOAuth2ClientAutoConfiguration.class, C2MHealthContributorAutoConfiguration.class,
					C2MMetricsAutoConfiguration.class))
			.withBean(C2MAutoConfiguration.CLOCK_BEAN_NAME, Clock.class, () -> this.clock)
			.withBean("tokenEvents", ApplicationListener.class,
					() -> (ApplicationListener<C2MTokenEvent>) this.events::add)
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=default-id",
					"c2m.auth.client-secret=default-secret", "c2m.auth.short-term.scopes=jobs:submit",
					"c2m.clients.billing.client-id=billing-id", "c2m.clients.billing.auth.client-secret=billing-secret",
					"c2m.clients.marketing.client-id=marketing-id",
					"c2m.clients.marketing.auth.client-secret=marketing-secret");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void threeAccountsUnderConcurrentLoadEachCallCarriesItsOwnAccountsToken() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			C2MClients clients = context.getBean(C2MClients.class);
			assertThat(clients.getNames()).containsExactly("default", "billing", "marketing");
			assertThat(clients.getRegistrationId("billing")).isEqualTo("c2m-billing");
			assertThat(clients.getWebClient("default")).isSameAs(context.getBean("c2mWebClient"));
			assertThat(clients.getTokenManager("default")).isSameAs(context.getBean(C2MTokenManager.class));
			int calls = 20;
			ExecutorService pool = Executors.newFixedThreadPool(12);
			try {
				CountDownLatch go = new CountDownLatch(1);
				List<Future<?>> done = new ArrayList<>();
				for (String name : clients.getNames()) {
					for (int i = 0; i < calls; i++) {
						String body = name + "-" + i;
						boolean reactive = i % 2 == 0;
						done.add(pool.submit(() -> {
							go.await();
							submit(clients, name, body, reactive);
							return null;
						}));
					}
				}
				go.countDown();
				for (Future<?> call : done) {
					call.get(30, TimeUnit.SECONDS);
				}
			}
			finally {
				pool.shutdownNow();
			}
			List<SubmittedJob> jobs = this.emulator.submittedJobs();
			assertThat(jobs).hasSize(3 * calls);
			Map<String, String> clientOfToken = this.emulator.issuedTokens()
				.stream()
				.collect(Collectors.toMap(IssuedToken::id, IssuedToken::clientId));
			assertThat(jobs).allSatisfy((job) -> {
				String account = job.body()
					.substring(job.body().indexOf('"', job.body().indexOf(':')) + 1,
							job.body().indexOf('-', job.body().indexOf(':')));
				assertThat(clientOfToken.get(job.tokenId())).as(job.body()).isEqualTo(CLIENT_IDS.get(account));
			});
			// one long-term token and one short-term token per account: one exchange per
			// herd, and none shared
			assertThat(issued(TokenKind.LONG_TERM)).containsOnlyKeys(CLIENT_IDS.values())
				.allSatisfy((clientId, count) -> assertThat(count).isOne());
			assertThat(issued(TokenKind.SHORT_TERM)).containsOnlyKeys(CLIENT_IDS.values())
				.allSatisfy((clientId, count) -> assertThat(count).isOne());
			// the operations hand out each account's own token
			Set<String> tokens = clients.getNames()
				.stream()
				.map((name) -> clients.getOperations(name).getAccessToken())
				.collect(Collectors.toSet());
			assertThat(tokens).hasSize(3);
		});
	}

	@Test
	void theManagersServeEveryAccountByRegistrationId() {
		this.runner.run((context) -> {
			C2MClients clients = context.getBean(C2MClients.class);
			OAuth2AuthorizedClientManager manager = context.getBean("c2mAuthorizedClientManager",
					OAuth2AuthorizedClientManager.class);
			ReactiveOAuth2AuthorizedClientManager reactive = context.getBean("c2mReactiveAuthorizedClientManager",
					ReactiveOAuth2AuthorizedClientManager.class);
			for (String name : clients.getNames()) {
				OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest
					.withClientRegistrationId(clients.getRegistrationId(name))
					.principal(new AnonymousAuthenticationToken("c2m", "app",
							AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")))
					.build();
				OAuth2AuthorizedClient authorized = manager.authorize(request);
				OAuth2AuthorizedClient authorizedReactively = reactive.authorize(request).block(Duration.ofSeconds(10));
				assertThat(authorized).isNotNull();
				assertThat(authorizedReactively).isNotNull();
				assertThat(authorized.getClientRegistration().getClientId()).isEqualTo(CLIENT_IDS.get(name));
				String token = clients.getOperations(name).getAccessToken();
				assertThat(authorized.getAccessToken().getTokenValue()).isEqualTo(token);
				assertThat(authorizedReactively.getAccessToken().getTokenValue()).isEqualTo(token);
			}
		});
	}

	@Test
	void oneAccountsRevokedTokensDoNotTouchTheOthers() {
		this.runner.run((context) -> {
			C2MClients clients = context.getBean(C2MClients.class);
			for (String name : clients.getNames()) {
				submit(clients, name, name + "-warm", false);
			}
			Map<String, Long> before = issued(TokenKind.SHORT_TERM);
			// the server revokes billing's tokens: its next call is refused once, then
			// recovers with tokens of its own
			this.emulator.issuedTokens()
				.stream()
				.filter((token) -> token.clientId().equals("billing-id"))
				.forEach((token) -> this.emulator.revoke(token.id()));
			for (String name : clients.getNames()) {
				submit(clients, name, name + "-after", true);
			}
			Map<String, Long> after = issued(TokenKind.SHORT_TERM);
			assertThat(after.get("billing-id")).isGreaterThan(before.get("billing-id"));
			assertThat(after.get("default-id")).isEqualTo(before.get("default-id"));
			assertThat(after.get("marketing-id")).isEqualTo(before.get("marketing-id"));
			assertThat(this.events).filteredOn((event) -> event.getType() == C2MTokenEvent.Type.LONG_TERM_ISSUED)
				.extracting(C2MTokenEvent::getClient)
				.contains("default", "billing", "marketing");
		});
	}

	@Test
	void anAccountRotatesOnItsOwnScheduleAndItsRetiredTokenIsRevokedWhenTheApplicationStops() {
		String[] retired = new String[1];
		this.runner.withPropertyValues("c2m.clients.billing.auth.long-term.ttl=2h").run((context) -> {
			C2MClients clients = context.getBean(C2MClients.class);
			C2MTokenManager billing = clients.getTokenManager("billing");
			C2MTokenManager marketing = clients.getTokenManager("marketing");
			retired[0] = billing.getLongTermToken().block(Duration.ofSeconds(10)).tokenId();
			String marketingToken = marketing.getLongTermToken().block(Duration.ofSeconds(10)).tokenId();
			this.clock.advance(Duration.ofMinutes(61));
			billing.checkLongTermToken().block(Duration.ofSeconds(10));
			marketing.checkLongTermToken().block(Duration.ofSeconds(10));
			assertThat(billing.diagnostics().statistics().rotations()).isOne();
			assertThat(billing.diagnostics().currentLongTermToken().orElseThrow().tokenId()).isNotEqualTo(retired[0]);
			assertThat(marketing.diagnostics().statistics().rotations()).isZero();
			assertThat(marketing.diagnostics().currentLongTermToken().orElseThrow().tokenId())
				.isEqualTo(marketingToken);
			assertThat(this.events).filteredOn((event) -> event.getType() == C2MTokenEvent.Type.LONG_TERM_ROTATED)
				.extracting(C2MTokenEvent::getClient)
				.containsExactly("billing");
			assertThat(this.emulator.isRevoked(retired[0])).isFalse();
		});
		// the in-memory store dies with the application: the retired token of the named
		// account is revoked as the default account's would be
		assertThat(this.emulator.isRevoked(retired[0])).isTrue();
	}

	@Test
	void oneAccountsOutageDoesNotTouchTheOthersAndHealthShowsEachAccount() {
		C2MEmulator billingServer = C2MEmulator.builder().start();
		billingServer.clients().register("billing-id").secret("billing-secret").allowedScopes("jobs:submit");
		String billingUrl = billingServer.baseUrl();
		billingServer.close();
		this.runner.withPropertyValues("c2m.clients.billing.base-url=" + billingUrl).run((context) -> {
			C2MClients clients = context.getBean(C2MClients.class);
			submit(clients, "default", "default-1", true);
			submit(clients, "marketing", "marketing-1", false);
			assertThatException().isThrownBy(() -> clients.getOperations("billing").getAccessToken());
			submit(clients, "marketing", "marketing-2", true);
			HealthIndicator billing = indicator(context, "billing");
			assertThat(billing.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(indicator(context, "default").health().getStatus()).isEqualTo(Status.UP);
			assertThat(indicator(context, "marketing").health().getStatus()).isEqualTo(Status.UP);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("c2m.auth.requests").tag("client", "marketing").timers()).isNotEmpty();
			assertThat(meters.find("c2m.auth.requests")
				.tag("client", "billing")
				.tag("outcome", "TRANSPORT_ERROR")
				.timers()).isNotEmpty();
			assertThat(meters.get("c2m.token.exchanges")
				.tag("outcome", "success")
				.tag("client", "marketing")
				.functionCounter()
				.count()).isEqualTo(1);
			assertThat(meters.get("c2m.token.issuances")
				.tag("outcome", "failure")
				.tag("client", "billing")
				.functionCounter()
				.count()).isPositive();
			assertThat(meters.get("c2m.token.issuances")
				.tag("outcome", "failure")
				.tag("client", "default")
				.functionCounter()
				.count()).isZero();
		});
	}

	@Test
	void aNamedAccountsBadSettingFailsStartupNamingItsOwnProperty() {
		this.runner.withPropertyValues("c2m.clients.billing.client-id=").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("billing")
				.rootCause()
				.hasMessageContaining("c2m.clients.billing.client-id");
		});
		this.runner.withPropertyValues("c2m.clients.marketing.auth.client-secrett=x").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("c2m.clients.marketing.auth.client-secrett")
				.hasMessageContaining("c2m.clients.marketing.auth.client-secret");
		});
		this.runner.withPropertyValues("c2m.clients.default.client-id=x", "c2m.clients.default.auth.client-secret=y")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("'default'");
			});
	}

	@Test
	void theCredentialIsNeverInherited() {
		this.runner.withPropertyValues("c2m.clients.support.client-id=support-id").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("c2m.clients.support.auth");
		});
	}

	@Test
	void withoutNamedAccountsTheHealthIndicatorIsTheOneItAlwaysWas() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class,
					C2MHealthContributorAutoConfiguration.class))
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=default-id",
					"c2m.auth.client-secret=default-secret")
			.run((context) -> {
				assertThat(context).hasSingleBean(C2MHealthIndicator.class);
				assertThat(context.getBean(C2MClients.class).getNames()).containsExactly("default");
			});
	}

	private static HealthIndicator indicator(AssertableApplicationContext context, String name) {
		CompositeHealthContributor composite = context.getBean("c2mHealthIndicator", CompositeHealthContributor.class);
		return (HealthIndicator) composite.getContributor(name);
	}

	private Map<String, Long> issued(TokenKind kind) {
		return this.emulator.issuedTokens()
			.stream()
			.filter((token) -> token.kind() == kind)
			.collect(Collectors.groupingBy(IssuedToken::clientId, Collectors.counting()));
	}

	private static void submit(C2MClients clients, String name, String body, boolean reactive) {
		Map<String, String> job = Map.of("document_ref", body);
		if (reactive) {
			WebClient client = clients.getWebClient(name);
			client.post().uri("/jobs/single-doc").bodyValue(job).retrieve().toBodilessEntity().block();
		}
		else {
			RestClient client = clients.getRestClient(name);
			client.post().uri("/jobs/single-doc").body(job).retrieve().toBodilessEntity();
		}
	}

}
