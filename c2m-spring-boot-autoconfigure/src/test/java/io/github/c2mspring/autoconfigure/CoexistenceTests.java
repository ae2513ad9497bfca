package io.github.c2mspring.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.c2mspring.auth.security.C2MAuthorizeRequests;
import io.github.c2mspring.emulator.C2MEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with its own Spring Security setup, a social login and its own
 * authorized client manager: adding the starter changes none of it.
 */
class CoexistenceTests {

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

	private ConfigurableApplicationContext run(Class<?> application, boolean starter) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off",
					"spring.security.oauth2.client.registration.github.client-id=github-id",
					"spring.security.oauth2.client.registration.github.client-secret=github-secret",
					"c2m.enabled=" + starter, "c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
					"c2m.auth.client-secret=secret-1")
			.run();
	}

	@Test
	void ownManagerFiltersRegistrationsAndEndpointsAreUnchanged() throws Exception {
		Snapshot without;
		try (ConfigurableApplicationContext context = run(OwnManagerApplication.class, false)) {
			without = Snapshot.of(context);
			assertThat(context.containsBean("c2mAuthorizedClientManager")).isFalse();
		}
		try (ConfigurableApplicationContext context = run(OwnManagerApplication.class, true)) {
			Snapshot with = Snapshot.of(context);
			assertThat(with).isEqualTo(without);
			UsesUnqualifiedBeans user = context.getBean(UsesUnqualifiedBeans.class);
			assertThat(user.manager).isSameAs(context.getBean("ownManager"));
			assertThat(user.registrations).isSameAs(context.getBean(ClientRegistrationRepository.class));
			assertThat(user.registrations.findByRegistrationId("c2m")).isNull();
			assertThat(user.registrations.findByRegistrationId("github")).isNotNull();
			OAuth2AuthorizedClientManager c2m = context.getBean(C2MUser.class).manager;
			OAuth2AuthorizedClient client = c2m.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("c2m")
				.principal("scheduler")
				.attributes(C2MAuthorizeRequests.scopes(List.of("jobs:submit")))
				.build());
			assertThat(client.getAccessToken().getScopes()).containsExactly("jobs:submit");
			assertThat(client.getAccessToken().getTokenValue()).isNotBlank();
		}
	}

	@Test
	void springSecuritysDefaultManagerIsKeptWhenTheApplicationHasNone() throws Exception {
		Snapshot without;
		try (ConfigurableApplicationContext context = run(DefaultManagerApplication.class, false)) {
			without = Snapshot.of(context);
		}
		try (ConfigurableApplicationContext context = run(DefaultManagerApplication.class, true)) {
			assertThat(Snapshot.of(context)).isEqualTo(without);
			UsesUnqualifiedBeans user = context.getBean(UsesUnqualifiedBeans.class);
			assertThat(user.manager).isInstanceOf(DefaultOAuth2AuthorizedClientManager.class);
			assertThat(user.manager).isNotSameAs(context.getBean("c2mAuthorizedClientManager"));
			assertThat(context.getBeanNamesForType(OAuth2AuthorizedClientManager.class)).hasSize(2);
		}
	}

	/**
	 * What an application sees from outside and inside: its filter chains and their
	 * filters, its registrations, and the answers of its endpoints.
	 */
	record Snapshot(List<String> filterChains, List<String> registrations, Map<String, Integer> answers,
			String loginRedirect) {

		static Snapshot of(ConfigurableApplicationContext context) throws Exception {
			List<String> chains = context.getBeansOfType(SecurityFilterChain.class)
				.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + entry.getValue()
					.getFilters()
					.stream()
					.map((filter) -> filter.getClass().getSimpleName())
					.toList())
				.sorted()
				.toList();
			ClientRegistrationRepository repository = context.getBean(ClientRegistrationRepository.class);
			List<String> registrations = List.of("github", "c2m")
				.stream()
				.filter((id) -> repository.findByRegistrationId(id) != null)
				.toList();
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient http = HttpClient.newHttpClient();
			Function<String, HttpResponse<String>> get = (path) -> {
				try {
					return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
							HttpResponse.BodyHandlers.ofString());
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			};
			HttpResponse<String> privatePage = get.apply("/private");
			return new Snapshot(chains, registrations,
					Map.of("/public", get.apply("/public").statusCode(), "/private", privatePage.statusCode(),
							"/oauth2/authorization/github", get.apply("/oauth2/authorization/github").statusCode()),
					privatePage.headers().firstValue("Location").orElse("").replaceAll(":\\d+", ":PORT"));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Endpoints.class, UsesUnqualifiedBeans.class, C2MUser.class })
	static class DefaultManagerApplication {

		@Bean
		SecurityFilterChain applicationSecurity(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/public").permitAll().anyRequest().authenticated())
				.oauth2Login(Customizer.withDefaults());
			return http.build();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Endpoints.class, UsesUnqualifiedBeans.class, C2MUser.class })
	static class OwnManagerApplication extends DefaultManagerApplication {

		@Bean
		OAuth2AuthorizedClientManager ownManager(ClientRegistrationRepository registrations,
				OAuth2AuthorizedClientRepository authorizedClients) {
			DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(registrations,
					authorizedClients);
			manager.setAuthorizedClientProvider(
					OAuth2AuthorizedClientProviderBuilder.builder().authorizationCode().refreshToken().build());
			return manager;
		}

	}

	@RestController
	static class Endpoints {

		@GetMapping("/public")
		String publicPage() {
			return "public";
		}

		@GetMapping("/private")
		String privatePage() {
			return "private";
		}

	}

	@Component
	static class UsesUnqualifiedBeans {

		final OAuth2AuthorizedClientManager manager;

		final ClientRegistrationRepository registrations;

		UsesUnqualifiedBeans(OAuth2AuthorizedClientManager manager, ClientRegistrationRepository registrations,
				WebClient.Builder builder) {
			this.manager = manager;
			this.registrations = registrations;
		}

	}

	@Component
	static class C2MUser {

		final OAuth2AuthorizedClientManager manager;

		C2MUser(@Qualifier("c2mAuthorizedClientManager") java.util.Optional<OAuth2AuthorizedClientManager> manager) {
			this.manager = manager.orElse(null);
		}

	}

}
