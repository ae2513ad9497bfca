package io.github.c2mspring.autoconfigure;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.IssuedToken;
import io.github.c2mspring.emulator.RecordedRequest;
import io.github.c2mspring.testsupport.Flows;
import io.github.c2mspring.testsupport.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole flow with DEBUG and TRACE logging everywhere (the starter, Spring's web and
 * HTTP codecs, Spring Security, Reactor Netty): no secret or token used in it appears in
 * the output.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsInLogsTests {

	private static final String SECRET = "cs-6f1d0a9e-secret";

	private static final String OTP = "otp-77c3b1-code";

	private final KeyPair key = TestKeys.rsa(2048);

	private C2MEmulator emulator;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.start();
		this.emulator.clients()
			.register("client-1")
			.secret(SECRET)
			.otp(OTP)
			.publicKey(this.key.getPublic())
			.allowedScopes("jobs:submit", "tokens:revoke");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void noSecretOrTokenIsLoggedAtTrace(CapturedOutput output, @TempDir Path dir) {
		Path pem = TestKeys.writePem(dir, "client.pem", this.key);
		runFlow("c2m.auth.client-secret=" + SECRET);
		runFlow("c2m.auth.otp-code=" + OTP);
		runFlow("c2m.auth.assertion.private-key=file:" + pem);
		List<String> secrets = new ArrayList<>(List.of(SECRET, OTP));
		secrets.add(Base64.getEncoder().encodeToString(this.key.getPrivate().getEncoded()).substring(0, 60));
		for (IssuedToken token : this.emulator.issuedTokens()) {
			secrets.add(token.value());
		}
		Pattern assertion = Pattern.compile("\"assertion\"\\s*:\\s*\"([^\"]+)\"");
		for (RecordedRequest request : this.emulator.requests()) {
			Matcher matcher = assertion.matcher(String.valueOf(request.body()));
			if (matcher.find()) {
				secrets.add(matcher.group(1));
			}
		}
		assertThat(this.emulator.issuedTokens()).hasSizeGreaterThanOrEqualTo(6);
		assertThat(secrets).hasSizeGreaterThanOrEqualTo(10);
		assertThat(output.getAll()).as("the flow logged at TRACE").contains("c2m").hasSizeGreaterThan(10_000);
		for (String secret : secrets) {
			assertThat(output.getAll()).doesNotContain(secret);
		}
	}

	private void runFlow(String credential) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FlowApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=DEBUG",
					"logging.level.io.github.c2mspring=TRACE", "logging.level.org.springframework.web=TRACE",
					"logging.level.org.springframework.http=TRACE", "logging.level.org.springframework.security=TRACE",
					"logging.level.reactor.netty=TRACE", "c2m.base-url=" + this.emulator.baseUrl(),
					"c2m.client-id=client-1", "c2m.auth.assertion.audience=" + this.emulator.baseUrl(),
					"c2m.auth.short-term.scopes=jobs:submit", credential)
			.run()) {
			Flows.submitThroughBothClients(context);
			C2MAuthOperations operations = context.getBean(C2MAuthOperations.class);
			String id = operations.getShortTermToken(List.of("tokens:revoke")).tokenId();
			operations.revokeToken(id);
			context.getBean("c2mHealthIndicator", HealthIndicator.class).health(true);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class FlowApplication {

	}

}
