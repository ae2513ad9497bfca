package io.github.c2mspring.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.IssuedToken;
import io.github.c2mspring.emulator.RecordedRequest;
import io.github.c2mspring.emulator.SubmittedJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.annotation.ClientRegistrationId;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * HTTP interface clients ({@code @HttpExchange}) in HTTP service groups named after the
 * accounts: {@code c2m} and {@code c2m-billing} carry their own account's token, a
 * method's {@code @ClientRegistrationId} picks another account, and a group of another
 * name is left alone.
 */
class HttpInterfaceClientsTests {

	private C2MEmulator emulator;

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().start();
		this.emulator.clients().register("default-id").secret("default-secret").allowedScopes("jobs:submit");
		this.emulator.clients().register("billing-id").secret("billing-secret").allowedScopes("jobs:submit");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
					ImperativeHttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
					HttpServiceClientPropertiesAutoConfiguration.class, RestClientAutoConfiguration.class,
					WebClientAutoConfiguration.class, HttpServiceClientAutoConfiguration.class,
					ReactiveHttpServiceClientAutoConfiguration.class, C2MAutoConfiguration.class,
					C2MOAuth2ClientAutoConfiguration.class, C2MHttpServiceClientAutoConfiguration.class))
			.withUserConfiguration(Services.class)
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=default-id",
					"c2m.auth.client-secret=default-secret", "c2m.auth.short-term.scopes=jobs:submit",
					"c2m.clients.billing.client-id=billing-id", "c2m.clients.billing.auth.client-secret=billing-secret",
					"spring.http.serviceclient.other.base-url=" + this.emulator.baseUrl());
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void eachAccountsGroupCarriesItsOwnAccountsToken() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(JobsApi.class).submit(Map.of("document_ref", "default-1"));
			context.getBean(BillingJobsApi.class).submit(Map.of("document_ref", "billing-1")).block();
			context.getBean(JobsApi.class).submitAsBilling(Map.of("document_ref", "billing-2"));
			Map<String, String> clientOfToken = this.emulator.issuedTokens()
				.stream()
				.collect(Collectors.toMap(IssuedToken::id, IssuedToken::clientId));
			List<SubmittedJob> jobs = this.emulator.submittedJobs();
			assertThat(jobs).hasSize(3);
			assertThat(jobs).allSatisfy((job) -> assertThat(clientOfToken.get(job.tokenId())).as(job.body())
				.isEqualTo(job.body().contains("billing") ? "billing-id" : "default-id"));
		});
	}

	@Test
	void aGroupOfAnotherNameIsLeftAlone() {
		this.runner.run((context) -> {
			// no such resource: the emulator answers 404, after recording the request
			assertThatException().isThrownBy(() -> context.getBean(OtherApi.class).templates());
			RecordedRequest request = this.emulator.requests()
				.stream()
				.filter((recorded) -> recorded.path().endsWith("/templates"))
				.findFirst()
				.orElseThrow();
			assertThat(request.header("Authorization")).isNull();
			assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isZero();
		});
	}

	@Test
	void bootsOwnBaseUrlOfAnAccountsGroupWins() {
		try (C2MEmulator elsewhere = C2MEmulator.builder().start()) {
			this.runner.withPropertyValues("spring.http.serviceclient.c2m.base-url=" + elsewhere.baseUrl())
				.run((context) -> {
					// the API call goes to the group's own base URL (another server,
					// which
					// refuses the account's token), the token still comes from the
					// account's
					assertThatException().isThrownBy(
							() -> context.getBean(JobsApi.class).submit(Map.of("document_ref", "default-elsewhere")));
					assertThat(elsewhere.requestCount(Endpoint.SUBMIT_JOB)).isPositive();
					assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isPositive();
					assertThat(this.emulator.requestCount(Endpoint.SUBMIT_JOB)).isZero();
				});
		}
	}

	@HttpExchange("/jobs")
	interface JobsApi {

		@PostExchange("/single-doc")
		Map<String, Object> submit(@RequestBody Map<String, String> job);

		@ClientRegistrationId("c2m-billing")
		@PostExchange("/single-doc")
		Map<String, Object> submitAsBilling(@RequestBody Map<String, String> job);

	}

	interface BillingJobsApi {

		@PostExchange("/jobs/single-doc")
		Mono<Map<String, Object>> submit(@RequestBody Map<String, String> job);

	}

	interface OtherApi {

		@GetExchange("/templates")
		String templates();

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "c2m", types = JobsApi.class)
	@ImportHttpServices(group = "c2m-billing", types = BillingJobsApi.class,
			clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
	@ImportHttpServices(group = "other", types = OtherApi.class)
	static class Services {

	}

}
