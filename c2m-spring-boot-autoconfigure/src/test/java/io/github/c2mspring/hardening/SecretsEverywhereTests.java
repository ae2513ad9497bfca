package io.github.c2mspring.hardening;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.IssuedToken;
import io.github.c2mspring.emulator.TokenKind;
import io.github.c2mspring.testsupport.Flows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full run with every Actuator endpoint exposed and showing values, request-detail
 * logging on and TRACE logging: no secret or token used in it appears in any endpoint's
 * answer or in the output. Also: revocation of the short-term tokens on shutdown, bounded
 * by its timeout.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsEverywhereTests {

	private static final String SECRET = "cs-0e77b2-never-show-me";

	private C2MEmulator emulator;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.start();
		this.emulator.clients().register("client-1").secret(SECRET).allowedScopes("jobs:submit", "tokens:revoke");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	private SpringApplicationBuilder application(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
				"c2m.auth.short-term.scopes=jobs:submit", "management.endpoints.web.exposure.include=*",
				"management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always",
				"management.endpoint.health.show-details=always", "spring.codec.log-request-details=true",
				"logging.level.root=DEBUG", "logging.level.io.github.c2mspring=TRACE",
				"logging.level.org.springframework.web=TRACE", "logging.level.org.springframework.http=TRACE",
				"logging.level.reactor.netty=TRACE",
				// Spring Data Redis is on the test class path (for the Redis store), with
				// no
				// server behind its default localhost:6379
				"management.health.redis.enabled=false"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(Application.class).web(WebApplicationType.SERVLET)
			.properties(all.toArray(String[]::new));
	}

	@Test
	void noSecretInActuatorEndpointsNorLogs(CapturedOutput output) throws Exception {
		List<String> answers = new ArrayList<>();
		String provisioned;
		try (ConfigurableApplicationContext context = application("c2m.auth.client-secret=" + SECRET).run()) {
			Flows.submitThroughBothClients(context);
			answers.addAll(endpoints(context, "c2m.auth.client-secret"));
			provisioned = context.getBean(C2MAuthOperations.class).revealLongTermTokenValue();
		}
		try (ConfigurableApplicationContext context = application("c2m.auth.long-term-token=" + provisioned).run()) {
			Flows.submitThroughBothClients(context);
			answers.addAll(endpoints(context, "c2m.auth.long-term-token"));
		}
		List<String> secrets = new ArrayList<>(List.of(SECRET));
		this.emulator.issuedTokens().stream().map(IssuedToken::value).forEach(secrets::add);
		assertThat(secrets).hasSizeGreaterThanOrEqualTo(4);
		assertThat(answers).hasSize(16);
		String all = String.join("\n", answers);
		// the endpoints did show values (and ours were masked), so the scan below means
		// something
		assertThat(all).contains("\"c2m.client-id\"")
			.contains("client-1")
			.contains("\"c2m.auth.client-secret\"")
			.contains("\"c2m.auth.long-term-token\"")
			.contains("******")
			.contains("c2m.token.exchanges")
			.contains("c2mTokenManager")
			.contains("C2MAutoConfiguration");
		for (String secret : secrets) {
			assertThat(answers).allSatisfy((answer) -> assertThat(answer).doesNotContain(secret));
			assertThat(output.getAll()).doesNotContain(secret);
		}
		assertThat(output.getAll()).contains("c2m");
	}

	private List<String> endpoints(ConfigurableApplicationContext context, String secretProperty) throws Exception {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		HttpClient http = HttpClient.newHttpClient();
		List<String> answers = new ArrayList<>();
		for (String path : List.of("env", "env/" + secretProperty, "configprops", "health", "metrics",
				"metrics/c2m.token.exchanges", "beans", "conditions")) {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/" + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			answers.add(path + " " + response.body());
		}
		return answers;
	}

	@Test
	void wireLoggingShowsTheTrafficWithEverySecretMasked(CapturedOutput output) {
		try (ConfigurableApplicationContext context = application("c2m.auth.client-secret=" + SECRET,
				"c2m.http.wire-logging=true", "logging.level.io.github.c2mspring.wire=DEBUG")
			.run()) {
			Flows.submitThroughBothClients(context);
		}
		String wire = output.getAll()
			.lines()
			.filter((line) -> line.contains("io.github.c2mspring.wire"))
			.collect(java.util.stream.Collectors.joining("\n"));
		assertThat(wire).contains("POST /v2/auth/tokens/long")
			.contains("POST /v2/auth/tokens/short")
			.contains("POST /v2/jobs/single-doc")
			.contains("\"access_token\":\"<masked>\"")
			.contains("\"client_secret\":\"<masked>\"")
			.contains("Authorization: <masked>");
		assertThat(output.getAll()).doesNotContain(SECRET);
		for (IssuedToken token : this.emulator.issuedTokens()) {
			assertThat(output.getAll()).doesNotContain(token.value());
		}
	}

	@Test
	void shortTermTokensAreRevokedOnShutdown() {
		String id;
		try (ConfigurableApplicationContext context = application("c2m.auth.client-secret=" + SECRET,
				"c2m.auth.long-term.scopes=jobs:submit,tokens:revoke", "c2m.auth.revoke-on-shutdown=true")
			.run()) {
			id = context.getBean(C2MAuthOperations.class).getShortTermToken().tokenId();
			assertThat(this.emulator.isRevoked(id)).isFalse();
		}
		assertThat(this.emulator.isRevoked(id)).isTrue();
		assertThat(this.emulator.issuedCount(TokenKind.SHORT_TERM)).isEqualTo(1);
	}

	@Test
	void revocationOnShutdownNeverHangsTheShutdown() {
		CountDownLatch never = new CountDownLatch(1);
		String id;
		ConfigurableApplicationContext context = application("c2m.auth.client-secret=" + SECRET,
				"c2m.auth.long-term.scopes=jobs:submit,tokens:revoke", "c2m.auth.revoke-on-shutdown=true",
				"c2m.auth.revoke-on-shutdown-timeout=300ms")
			.run();
		id = context.getBean(C2MAuthOperations.class).getShortTermToken().tokenId();
		this.emulator.faults().always(Endpoint.REVOKE, Fault.block(never));
		long started = System.nanoTime();
		context.close();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(this.emulator.requestCount(Endpoint.REVOKE)).isEqualTo(1);
		assertThat(this.emulator.isRevoked(id)).isFalse();
		never.countDown();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@org.springframework.context.annotation.Bean
		org.springframework.security.web.SecurityFilterChain openActuator(
				org.springframework.security.config.annotation.web.builders.HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

	}

}
