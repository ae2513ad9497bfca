package io.github.c2mspring.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.testsupport.BlockHoundInstalled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application with its own reactive security and a social login: the starter
 * works inside it without blocking, and Spring Security's default reactive manager stays
 * the one its unqualified injection points get.
 */
@BlockHoundInstalled
class ReactiveCoexistenceTests {

	private C2MEmulator emulator;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void webFluxApplicationUsesTheStarterAndKeepsItsOwnManager() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ReactiveApplication.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "spring.main.banner-mode=off",
					"spring.security.oauth2.client.registration.github.client-id=github-id",
					"spring.security.oauth2.client.registration.github.client-secret=github-secret",
					"c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
					"c2m.auth.client-secret=secret-1")
			.run()) {
			UsesUnqualifiedManager user = context.getBean(UsesUnqualifiedManager.class);
			assertThat(user.manager).isNotNull().isNotSameAs(context.getBean("c2mReactiveAuthorizedClientManager"));
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/submit"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains(this.emulator.submittedJobs().get(0).jobId());
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ SubmitEndpoint.class, UsesUnqualifiedManager.class })
	static class ReactiveApplication {

		@Bean
		SecurityWebFilterChain applicationSecurity(ServerHttpSecurity http) {
			return http
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/submit").permitAll().anyExchange().authenticated())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.oauth2Login(Customizer.withDefaults())
				.build();
		}

	}

	@RestController
	static class SubmitEndpoint {

		private final WebClient c2m;

		SubmitEndpoint(@Qualifier("c2mWebClient") WebClient c2m) {
			this.c2m = c2m;
		}

		@PostMapping("/submit")
		Mono<Map<?, ?>> submit() {
			return this.c2m.post()
				.uri("/jobs/single-doc")
				.bodyValue(Map.of("document_ref", "doc"))
				.retrieve()
				.bodyToMono(Map.class)
				.map((job) -> job);
		}

	}

	@Component
	static class UsesUnqualifiedManager {

		final ReactiveOAuth2AuthorizedClientManager manager;

		UsesUnqualifiedManager(ReactiveOAuth2AuthorizedClientManager manager) {
			this.manager = manager;
		}

	}

}
