package io.github.c2mspring.test.emulator;

import java.time.Duration;
import java.util.Map;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.autoconfigure.C2MAutoConfiguration;
import io.github.c2mspring.autoconfigure.C2MConfigurationException;
import io.github.c2mspring.autoconfigure.C2MConnectionDetails;
import io.github.c2mspring.autoconfigure.C2MOAuth2ClientAutoConfiguration;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.TokenKind;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

class C2MEmulatorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(C2MEmulatorAutoConfiguration.class, WebClientAutoConfiguration.class,
				C2MAutoConfiguration.class, C2MOAuth2ClientAutoConfiguration.class));

	@Test
	void embeddedEmulatorReplacesTheConnectionDetailsAndServesTheWholeFlow() {
		this.runner
			.withPropertyValues("c2m.emulator.enabled=true", "c2m.emulator.short-term-ttl=5m",
					"c2m.base-url=https://api.click2mail.com/v2", "c2m.client-id=ignored")
			.run((context) -> {
				C2MEmulator emulator = context.getBean(C2MEmulator.class);
				C2MConnectionDetails details = context.getBean(C2MConnectionDetails.class);
				assertThat(details).isInstanceOf(EmulatorC2MConnectionDetails.class);
				assertThat(details.getBaseUrl()).isEqualTo(emulator.baseUrl()).startsWith("http://127.0.0.1:");
				assertThat(details.getClientId()).isEqualTo("demo-client");
				assertThat(details.toString()).doesNotContain("demo-secret");
				ShortTermToken token = context.getBean(C2MAuthOperations.class).getShortTermToken();
				assertThat(Duration.between(token.issuedAt(), token.expiresAt())).isEqualTo(Duration.ofMinutes(5));
				Map<?, ?> job = context.getBean("c2mWebClient", WebClient.class)
					.post()
					.uri("/jobs/single-doc")
					.bodyValue(Map.of("document_ref", "doc"))
					.retrieve()
					.bodyToMono(Map.class)
					.block();
				assertThat(job.get("job_id")).isEqualTo(emulator.submittedJobs().get(0).jobId());
				assertThat(emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
			});
	}

	@Test
	void emulatorStopsWithTheContext() {
		int[] port = new int[1];
		this.runner.withPropertyValues("c2m.emulator.enabled=true")
			.run((context) -> port[0] = context.getBean(C2MEmulator.class).port());
		assertThat(port[0]).isPositive();
		assertThat(canConnect(port[0])).isFalse();
	}

	@Test
	void disabledByDefault() {
		this.runner.withPropertyValues("c2m.client-id=c", "c2m.auth.client-secret=s").run((context) -> {
			assertThat(context).doesNotHaveBean(C2MEmulator.class);
			assertThat(context.getBean(C2MConnectionDetails.class)).isNotInstanceOf(EmulatorC2MConnectionDetails.class);
		});
	}

	@Test
	void keysOfThisModuleAreKnownToTheStartersCheck() {
		this.runner
			.withPropertyValues("c2m.emulator.enabled=true", "c2m.emulator.port=0",
					"c2m.emulator.client-id=demo-client", "c2m.emulator.base-image=eclipse-temurin:21-jre")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new SystemEnvironmentPropertySource("test-systemEnvironment",
						Map.of("C2M_EMULATOR_BASE_IMAGE", "eclipse-temurin:21-jre", "C2M_EMULATOR_SHORTTERMTTL",
								"5m"))))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(C2MEmulator.class));
	}

	@Test
	void misspeltKeyOfThisModuleIsNamedWithTheClosestOne() {
		this.runner.withPropertyValues("c2m.emulator.enabled=true", "c2m.emulator.prot=8089").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(C2MConfigurationException.class)
				.hasMessageContaining("'c2m.emulator.prot'")
				.hasMessageContaining("the closest known one is c2m.emulator.port");
		});
	}

	private static boolean canConnect(int port) {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
			return true;
		}
		catch (java.io.IOException ex) {
			return false;
		}
	}

}
