package io.github.c2mspring.autoconfigure;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.testsupport.BlockHoundInstalled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can wait for the first call does not run at startup: the HTTP clients are built
 * from the application's builders (whose customizers count the builds here) and Spring
 * Security's managers are created at the first request, not when the context starts; then
 * every call works as before, each client built once.
 */
@BlockHoundInstalled
class StartupDeferralTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private final AtomicInteger webClientBuilds = new AtomicInteger();

	private final AtomicInteger restClientBuilds = new AtomicInteger();

	private C2MEmulator emulator;

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(WebClientAutoConfiguration.class, RestClientAutoConfiguration.class,
							C2MAutoConfiguration.class, C2MOAuth2ClientAutoConfiguration.class))
			.withBean(WebClientCustomizer.class, () -> (builder) -> this.webClientBuilds.incrementAndGet())
			.withBean(RestClientCustomizer.class, () -> (builder) -> this.restClientBuilds.incrementAndGet())
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
					"c2m.auth.client-secret=secret-1", "c2m.auth.short-term.scopes=jobs:submit");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void httpClientsAndSecurityManagersAreCreatedAtTheFirstCall() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(this.webClientBuilds).hasValue(0);
			assertThat(this.restClientBuilds).hasValue(0);
			assertThat(created(context, C2MOAuth2ClientAutoConfiguration.AUTHORIZED_CLIENT_MANAGER_BEAN_NAME))
				.isFalse();
			assertThat(created(context, C2MOAuth2ClientAutoConfiguration.REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME))
				.isFalse();
			assertThat(this.emulator.requests()).isEmpty();

			assertThat(context.getBean(C2MAuthOperations.class).getAccessToken()).isNotBlank();
			assertThat(this.webClientBuilds).hasValue(1);
			context.getBean(C2MAuthOperations.class).getAccessToken();
			assertThat(this.webClientBuilds).hasValue(1);

			WebClient webClient = context.getBean(C2MOAuth2ClientAutoConfiguration.WEB_CLIENT_BEAN_NAME,
					WebClient.class);
			for (int call = 0; call < 2; call++) {
				assertThat(webClient.post()
					.uri("/jobs/single-doc")
					.bodyValue(Map.of("document_ref", "doc-" + call))
					.retrieve()
					.bodyToMono(JSON)
					.block()).containsKey("job_id");
			}
			assertThat(this.webClientBuilds).hasValue(2);
			assertThat(created(context, C2MOAuth2ClientAutoConfiguration.REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME))
				.isTrue();
			assertThat(created(context, C2MOAuth2ClientAutoConfiguration.AUTHORIZED_CLIENT_MANAGER_BEAN_NAME))
				.isFalse();

			RestClient restClient = context.getBean(C2MOAuth2ClientAutoConfiguration.REST_CLIENT_BEAN_NAME,
					RestClient.class);
			for (int call = 0; call < 2; call++) {
				assertThat(restClient.post()
					.uri("/jobs/single-doc")
					.body(Map.of("document_ref", "rest-" + call))
					.retrieve()
					.body(JSON)).containsKey("job_id");
			}
			assertThat(this.restClientBuilds).hasValue(1);
			assertThat(created(context, C2MOAuth2ClientAutoConfiguration.AUTHORIZED_CLIENT_MANAGER_BEAN_NAME)).isTrue();
			assertThat(this.emulator.submittedJobs()).hasSize(4);
		});
	}

	@Test
	void aSettingOfTheDeferredClientsStillFailsTheStartup() {
		this.runner.withPropertyValues("c2m.http.proxy.host=proxy.internal").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(C2MConfigurationException.class)
				.hasMessageContaining("c2m.http.proxy.port");
			assertThat(this.webClientBuilds).hasValue(0);
		});
	}

	private static boolean created(ConfigurableApplicationContext context, String beanName) {
		return context.getBeanFactory().containsSingleton(beanName);
	}

}
