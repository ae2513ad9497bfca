package io.github.c2mspring.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.LongTermTokenInfo;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.token.C2MTokenDiagnostics;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.TokenKind;
import io.github.c2mspring.emulator.ManualClock;
import io.github.c2mspring.testsupport.BlockHoundInstalled;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configured beans against the emulator: the clients reach the protected
 * endpoint, tokens are renewed before they expire, health and meters tell the truth.
 */
@BlockHoundInstalled
class C2MClientsIntegrationTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

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
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					WebClientAutoConfiguration.class, WebClientObservationAutoConfiguration.class,
					RestClientAutoConfiguration.class, C2MAutoConfiguration.class,
					C2MOAuth2ClientAutoConfiguration.class, C2MHealthContributorAutoConfiguration.class,
					C2MMetricsAutoConfiguration.class))
			.withBean(C2MAutoConfiguration.CLOCK_BEAN_NAME, java.time.Clock.class, () -> this.clock)
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
					"c2m.auth.client-secret=secret-1", "c2m.auth.short-term.scopes=jobs:submit");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void webClientReachesTheProtectedEndpoint() {
		this.runner.run((context) -> {
			WebClient client = context.getBean("c2mWebClient", WebClient.class);
			Map<String, Object> job = client.post()
				.uri("/jobs/single-doc")
				.bodyValue(Map.of("document_ref", "doc-1"))
				.retrieve()
				.bodyToMono(JSON)
				.block();
			assertThat(job).containsKey("job_id");
			assertThat(this.emulator.submittedJobs()).hasSize(1);
			ShortTermToken token = context.getBean(C2MTokenManager.class)
				.diagnostics()
				.currentShortTermToken(java.util.Set.of())
				.orElseThrow();
			assertThat(token.scopes()).containsExactly("jobs:submit");
		});
	}

	@Test
	void authCallsGoThroughTheApplicationsWebClientBuilder() {
		this.runner
			.withBean(org.springframework.boot.webclient.WebClientCustomizer.class,
					() -> (builder) -> builder.defaultHeader("X-Application", "customized"))
			.run((context) -> {
				context.getBean(C2MAuthOperations.class).getAccessToken();
				assertThat(this.emulator.requests()).hasSize(2)
					.allSatisfy((request) -> assertThat(request.header("X-Application")).isEqualTo("customized"));
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.find("http.client.requests").timers()).isNotEmpty();
			});
	}

	@Test
	void restClientReachesTheProtectedEndpoint() {
		this.runner.run((context) -> {
			RestClient client = context.getBean("c2mRestClient", RestClient.class);
			Map<String, Object> job = client.post()
				.uri("/jobs/single-doc")
				.body(Map.of("document_ref", "doc-2"))
				.retrieve()
				.body(JSON);
			assertThat(job).containsKey("job_id");
			assertThat(this.emulator.submittedJobs()).hasSize(1);
		});
	}

	@Test
	void shortLivedTokenIsReplacedBeforeExpiryWhileTheCallerKeepsCalling() {
		this.emulator.setShortTermTtl(Duration.ofSeconds(3));
		this.runner
			.withPropertyValues("c2m.auth.clock-skew=1s", "c2m.auth.short-term.refresh-at=0.5",
					"c2m.auth.short-term.refresh-jitter=0")
			.run((context) -> {
				WebClient web = context.getBean("c2mWebClient", WebClient.class);
				RestClient rest = context.getBean("c2mRestClient", RestClient.class);
				for (int i = 0; i < 40; i++) {
					web.post().uri("/jobs/single-doc").bodyValue(Map.of("n", i)).retrieve().toBodilessEntity().block();
					rest.post().uri("/jobs/single-doc").body(Map.of("n", i)).retrieve().toBodilessEntity();
					this.clock.advance(Duration.ofMillis(250));
				}
				assertThat(this.emulator.submittedJobs()).hasSize(80);
				assertThat(this.emulator.requests()).filteredOn((request) -> request.endpoint() == Endpoint.SUBMIT_JOB)
					.allSatisfy((request) -> assertThat(request.status()).isEqualTo(201));
				// 10 s of virtual time; each 3 s token is replaced in the background
				// half-way through its
				// life (at 1.5, 3, 4.5, 6, 7.5 and 9 s): 7 exchanges, and only the first
				// caller ever waited
				assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(7);
				assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
				C2MTokenDiagnostics.Statistics statistics = context.getBean(C2MTokenManager.class)
					.diagnostics()
					.statistics();
				assertThat(statistics.cacheMisses()).isEqualTo(1);
				assertThat(statistics.backgroundRefreshes()).isEqualTo(6);
			});
	}

	@Test
	void refusedTokenIsEvictedAndTheCallReplayedOnce() {
		this.runner.run((context) -> {
			WebClient web = context.getBean("c2mWebClient", WebClient.class);
			RestClient rest = context.getBean("c2mRestClient", RestClient.class);
			C2MTokenManager manager = context.getBean(C2MTokenManager.class);
			web.post().uri("/jobs/single-doc").bodyValue(Map.of("n", 0)).retrieve().toBodilessEntity().block();
			String first = manager.diagnostics().currentShortTermToken(java.util.Set.of()).orElseThrow().tokenId();
			this.emulator.revoke(first);
			Map<String, Object> job = web.post()
				.uri("/jobs/single-doc")
				.bodyValue(Map.of("n", 1))
				.retrieve()
				.bodyToMono(JSON)
				.block();
			assertThat(job).containsKey("job_id");
			String second = manager.diagnostics().currentShortTermToken(java.util.Set.of()).orElseThrow().tokenId();
			assertThat(second).isNotEqualTo(first);
			this.emulator.revoke(second);
			assertThat(rest.post().uri("/jobs/single-doc").body(Map.of("n", 2)).retrieve().body(JSON))
				.containsKey("job_id");
			assertThat(this.emulator.submittedJobs()).hasSize(3);
			assertThat(this.emulator.requests()).filteredOn((request) -> request.endpoint() == Endpoint.SUBMIT_JOB)
				.extracting(io.github.c2mspring.emulator.RecordedRequest::status)
				.containsExactly(201, 401, 201, 401, 201);
			assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(3);
		});
	}

	@Test
	void secondRefusalIsReturnedToTheCaller() {
		this.runner.run((context) -> {
			this.emulator.faults()
				.always(Endpoint.SUBMIT_JOB,
						Fault.raw(401, "application/json", "{\"code\":\"invalid_token\",\"message\":\"no\"}",
								Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\"")));
			WebClient web = context.getBean("c2mWebClient", WebClient.class);
			org.assertj.core.api.Assertions
				.assertThatExceptionOfType(
						org.springframework.web.reactive.function.client.WebClientResponseException.class)
				.isThrownBy(() -> web.post()
					.uri("/jobs/single-doc")
					.bodyValue(Map.of())
					.retrieve()
					.toBodilessEntity()
					.block())
				.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(401));
			assertThat(this.emulator.requestCount(Endpoint.SUBMIT_JOB)).isEqualTo(2);
			RestClient rest = context.getBean("c2mRestClient", RestClient.class);
			org.assertj.core.api.Assertions
				.assertThatExceptionOfType(org.springframework.web.client.HttpClientErrorException.Unauthorized.class)
				.isThrownBy(() -> rest.post().uri("/jobs/single-doc").body(Map.of()).retrieve().toBodilessEntity());
			// the token refused on the replay is not evicted again: no further exchange,
			// no replay
			assertThat(this.emulator.requestCount(Endpoint.SUBMIT_JOB)).isEqualTo(3);
			assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
		});
	}

	@Test
	void operationsExposeManagedStateWithoutTheLongTermValue() {
		this.runner.run((context) -> {
			C2MAuthOperations operations = context.getBean(C2MAuthOperations.class);
			assertThat(operations.currentLongTermTokenInfo()).isEmpty();
			String accessToken = operations.getAccessToken();
			assertThat(accessToken).isNotBlank();
			LongTermTokenInfo info = operations.getLongTermTokenInfo();
			assertThat(info.tokenId()).startsWith("tok_lt_");
			assertThat(info.scopes()).contains("jobs:submit");
			assertThat(info.expiresAt()).isEqualTo(info.issuedAt().plus(Duration.ofDays(30)));
			assertThat(info.toString()).doesNotContain(operations.revealLongTermTokenValue());
			assertThat(this.emulator.issuedTokens())
				.anySatisfy((token) -> assertThat(token.value()).isEqualTo(operations.revealLongTermTokenValue()));
			ShortTermToken templates = operations.getShortTermToken(java.util.List.of("templates:read"));
			assertThat(templates.scopes()).containsExactly("templates:read");
			operations.revokeToken(templates.tokenId());
			assertThat(this.emulator.isRevoked(templates.tokenId())).isTrue();
		});
	}

	@Test
	void healthIsUpWithTokenExpiryDetailsAndReadsTheCache() {
		this.runner.run((context) -> {
			HealthIndicator health = context.getBean("c2mHealthIndicator", HealthIndicator.class);
			Health first = health.health(true);
			assertThat(first.getStatus()).isEqualTo(Status.UP);
			assertThat(first.getDetails()).containsKeys("shortTermExpiresAt", "longTermExpiresAt",
					"longTermTokenSource");
			health.health(true);
			health.health(true);
			assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
			assertThat(first.getDetails().toString())
				.doesNotContain(context.getBean(C2MAuthOperations.class).getAccessToken(), "secret-1");
		});
	}

	@Test
	void healthIsDownWithTheServerCodeWhenTheCredentialIsRefused() {
		this.runner.withPropertyValues("c2m.auth.client-secret=wrong-secret").run((context) -> {
			Health health = context.getBean("c2mHealthIndicator", HealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("error", "invalid_grant")
				.containsEntry("status", 401)
				.containsEntry("lastErrorCode", "invalid_grant");
			assertThat(health.getDetails().toString()).doesNotContain("wrong-secret");
		});
	}

	@Test
	void healthIsDownWhenThePreProvisionedTokenIsRevoked() {
		this.runner.run((context) -> {
			C2MAuthOperations operations = context.getBean(C2MAuthOperations.class);
			String token = operations.revealLongTermTokenValue();
			this.emulator.revoke(operations.getLongTermTokenInfo().tokenId());
			this.runner.withPropertyValues("c2m.auth.client-secret=", "c2m.auth.long-term-token=" + token)
				.run((provisioned) -> {
					Health health = provisioned.getBean("c2mHealthIndicator", HealthIndicator.class).health(true);
					assertThat(health.getStatus()).isEqualTo(Status.DOWN);
					assertThat(health.getDetails()).containsEntry("error", "invalid_token");
					assertThat(health.getDetails().toString()).doesNotContain(token);
				});
		});
	}

	@Test
	void healthOfAPreProvisionedTokenLeavesOutWhatIsNotKnown() {
		this.runner.run((context) -> {
			String token = context.getBean(C2MAuthOperations.class).revealLongTermTokenValue();
			this.runner.withPropertyValues("c2m.auth.client-secret=", "c2m.auth.long-term-token=" + token)
				.run((provisioned) -> {
					Health health = provisioned.getBean("c2mHealthIndicator", HealthIndicator.class).health(true);
					assertThat(health.getStatus()).isEqualTo(Status.UP);
					// a pre-provisioned token comes without its id or expiry
					assertThat(health.getDetails()).containsKey("shortTermExpiresAt")
						.containsEntry("longTermTokenSource", "long-term-token")
						.doesNotContainKeys("longTermTokenId", "longTermExpiresAt");
					assertThat(health.getDetails().values())
						.allSatisfy((value) -> assertThat(value).isNotNull().asString().isNotEqualTo("null"));
					assertThat(health.getDetails().toString()).doesNotContain(token);
				});
		});
	}

	@Test
	void failedAndSuccessfulBackgroundRefreshesShowInHealthAndMeters() {
		this.runner.run((context) -> {
			C2MAuthOperations operations = context.getBean(C2MAuthOperations.class);
			C2MTokenManager manager = context.getBean(C2MTokenManager.class);
			HealthIndicator health = context.getBean("c2mHealthIndicator", HealthIndicator.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			String first = operations.getAccessToken();
			this.clock.advance(Duration.ofMinutes(9));
			this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.rateLimited("120"));
			assertThat(operations.getAccessToken()).isEqualTo(first);
			awaitIdle(manager);
			Health during = health.health(true);
			assertThat(during.getStatus()).isEqualTo(Status.UP);
			assertThat(during.getDetails()).containsEntry("consecutiveFailures", 1)
				.containsEntry("nextAttemptAt", this.clock.instant().plusSeconds(120))
				.containsEntry("lastErrorCode", "rate_limited");
			assertThat(meters.get("c2m.token.refreshes").functionCounter().count()).isEqualTo(1);
			assertThat(meters.get("c2m.token.exchanges").tag("outcome", "failure").functionCounter().count())
				.isEqualTo(1);
			this.clock.advance(Duration.ofSeconds(120));
			operations.getAccessToken();
			awaitIdle(manager);
			assertThat(operations.getAccessToken()).isNotEqualTo(first);
			assertThat(health.health(true).getDetails()).doesNotContainKey("consecutiveFailures");
			assertThat(meters.get("c2m.token.refreshes").functionCounter().count()).isEqualTo(2);
			assertThat(meters.get("c2m.token.rotations").tag("outcome", "success").functionCounter().count()).isZero();
			assertThat(meters.get("c2m.token.rejections").functionCounter().count()).isZero();
		});
	}

	private static void awaitIdle(C2MTokenManager manager) {
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
		while (!manager.diagnostics().isIdle()) {
			assertThat(System.nanoTime()).as("manager idle within 20 s").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

	@Test
	void metersRecordCallsTokensAndCache() {
		this.runner.run((context) -> {
			C2MAuthOperations operations = context.getBean(C2MAuthOperations.class);
			operations.getAccessToken();
			operations.getAccessToken();
			this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.status(503));
			try {
				operations.getShortTermToken(java.util.List.of("templates:read"));
			}
			catch (RuntimeException expected) {
				// counted below
			}
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("c2m.auth.requests")
				.tags("operation", "exchange-short-term-token", "outcome", "SUCCESS", "status", "201")
				.timer()
				.count()).isEqualTo(1);
			assertThat(meters.get("c2m.auth.requests")
				.tags("operation", "exchange-short-term-token", "outcome", "SERVER_ERROR", "status", "503")
				.timer()
				.count()).isEqualTo(1);
			assertThat(meters.get("c2m.auth.requests").tags("operation", "issue-long-term-token").timer().count())
				.isEqualTo(1);
			assertThat(meters.get("c2m.token.cache.requests").tag("result", "hit").functionCounter().count())
				.isEqualTo(1);
			assertThat(meters.get("c2m.token.cache.requests").tag("result", "miss").functionCounter().count())
				.isEqualTo(2);
			assertThat(meters.get("c2m.token.exchanges").tag("outcome", "success").functionCounter().count())
				.isEqualTo(1);
			assertThat(meters.get("c2m.token.exchanges").tag("outcome", "failure").functionCounter().count())
				.isEqualTo(1);
			assertThat(meters.get("c2m.token.issuances").tag("outcome", "success").functionCounter().count())
				.isEqualTo(1);
			assertThat(meters.get("c2m.token.remaining").tag("type", "short-term").gauge().value()).isEqualTo(900.0);
			assertThat(meters.get("c2m.token.remaining").tag("type", "long-term").gauge().value())
				.isEqualTo(Duration.ofDays(30).toSeconds());
			this.clock.advance(Duration.ofSeconds(100));
			assertThat(meters.get("c2m.token.remaining").tag("type", "short-term").gauge().value()).isEqualTo(800.0);
		});
	}

	@Test
	void aTokenRetiredByARotationIsRevokedWhenTheOnlyInstanceStopsWithinTheGracePeriod() {
		this.emulator.clients()
			.register("client-2")
			.secret("secret-2")
			.allowedScopes("jobs:submit", "tokens:write", "tokens:revoke");
		String[] retired = new String[1];
		this.runner
			.withPropertyValues("c2m.client-id=client-2", "c2m.auth.client-secret=secret-2",
					"c2m.auth.long-term.ttl=2h")
			.run((context) -> {
				C2MTokenManager manager = context.getBean(C2MTokenManager.class);
				retired[0] = manager.getLongTermToken().block(Duration.ofSeconds(10)).tokenId();
				this.clock.advance(Duration.ofMinutes(61));
				manager.checkLongTermToken().block(Duration.ofSeconds(10));
				assertThat(manager.diagnostics().currentLongTermToken().orElseThrow().tokenId())
					.isNotEqualTo(retired[0]);
				assertThat(manager.diagnostics().statistics().rotations()).isOne();
				// within its grace period, the retired token still works
				assertThat(this.emulator.isRevoked(retired[0])).isFalse();
			});
		// the in-memory store dies with the application: nobody would revoke it later
		assertThat(this.emulator.isRevoked(retired[0])).isTrue();
	}

}
