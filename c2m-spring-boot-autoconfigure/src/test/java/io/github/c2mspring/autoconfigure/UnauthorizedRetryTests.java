package io.github.c2mspring.autoconfigure;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The 401 healing of {@code c2mWebClient} and {@code c2mRestClient} against the
 * emulator's protected endpoint: only a refusal that says the token is bad evicts it, a
 * token is evicted at most once, exchanges stay bounded whatever the traffic, and a
 * replay sends the same bytes.
 */
class UnauthorizedRetryTests {

	private static final Fault ACCOUNT_SUSPENDED = Fault.status(401, "account_suspended", "The account is suspended");

	private static final Fault INVALID_TOKEN_CHALLENGE = Fault.raw(401, "application/json",
			"{\"code\":\"invalid_token\",\"message\":\"no\"}",
			Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));

	private static final Fault INVALID_TOKEN_BODY = Fault.status(401, "invalid_token",
			"The provided token is expired or invalid");

	private C2MEmulator emulator;

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(WebClientAutoConfiguration.class, RestClientAutoConfiguration.class,
							C2MAutoConfiguration.class, C2MOAuth2ClientAutoConfiguration.class))
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
					"c2m.auth.client-secret=secret-1", "c2m.auth.short-term.scopes=jobs:submit");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	private int exchanges() {
		return this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN);
	}

	private List<RecordedRequest> submissions() {
		return this.emulator.requests()
			.stream()
			.filter((request) -> request.endpoint() == Endpoint.SUBMIT_JOB)
			.toList();
	}

	@Test
	void aRefusalForAnotherReasonThanTheTokenCostsNoExchangeAndNoReplay() {
		this.runner.run((context) -> {
			WebClient web = context.getBean("c2mWebClient", WebClient.class);
			RestClient rest = context.getBean("c2mRestClient", RestClient.class);
			this.emulator.faults().always(Endpoint.SUBMIT_JOB, ACCOUNT_SUSPENDED);
			for (int i = 0; i < 50; i++) {
				int n = i;
				assertThatExceptionOfType(HttpClientErrorException.Unauthorized.class).isThrownBy(
						() -> rest.post().uri("/jobs/single-doc").body(Map.of("n", n)).retrieve().toBodilessEntity())
					.satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).contains("account_suspended"));
				assertThatExceptionOfType(WebClientResponseException.Unauthorized.class)
					.isThrownBy(() -> web.post()
						.uri("/jobs/single-doc")
						.bodyValue(Map.of("n", n))
						.retrieve()
						.toBodilessEntity()
						.block())
					.satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).contains("account_suspended"));
			}
			assertThat(exchanges()).isLessThanOrEqualTo(2);
			assertThat(submissions()).hasSize(100);
		});
	}

	@Test
	void aBearerInvalidTokenChallengeEvictsTheTokenOnceAndReplaysOnce() {
		this.runner.run((context) -> {
			WebClient web = context.getBean("c2mWebClient", WebClient.class);
			RestClient rest = context.getBean("c2mRestClient", RestClient.class);
			this.emulator.faults().once(Endpoint.SUBMIT_JOB, INVALID_TOKEN_CHALLENGE);
			assertThat(web.post()
				.uri("/jobs/single-doc")
				.bodyValue(Map.of("n", 1))
				.retrieve()
				.toBodilessEntity()
				.block()
				.getStatusCode()
				.value()).isEqualTo(201);
			assertThat(exchanges()).isEqualTo(2);
			this.emulator.faults().once(Endpoint.SUBMIT_JOB, INVALID_TOKEN_CHALLENGE);
			assertThat(rest.post()
				.uri("/jobs/single-doc")
				.body(Map.of("n", 2))
				.retrieve()
				.toBodilessEntity()
				.getStatusCode()
				.value()).isEqualTo(201);
			assertThat(exchanges()).isEqualTo(3);
			assertThat(submissions()).extracting(RecordedRequest::status).containsExactly(401, 201, 401, 201);
			List<RecordedRequest> submissions = submissions();
			assertThat(submissions.get(1).header("Authorization"))
				.isNotEqualTo(submissions.get(0).header("Authorization"));
			assertThat(submissions.get(1).body()).isEqualTo(submissions.get(0).body());
			assertThat(submissions.get(3).body()).isEqualTo(submissions.get(2).body());
		});
	}

	@Test
	void theContractsInvalidTokenBodyWithoutAChallengeEvictsTheTokenToo() {
		this.runner.run((context) -> {
			WebClient web = context.getBean("c2mWebClient", WebClient.class);
			RestClient rest = context.getBean("c2mRestClient", RestClient.class);
			this.emulator.faults().once(Endpoint.SUBMIT_JOB, INVALID_TOKEN_BODY);
			web.post().uri("/jobs/single-doc").bodyValue(Map.of("n", 1)).retrieve().toBodilessEntity().block();
			this.emulator.faults().once(Endpoint.SUBMIT_JOB, INVALID_TOKEN_BODY);
			rest.post().uri("/jobs/single-doc").body(Map.of("n", 2)).retrieve().toBodilessEntity();
			assertThat(submissions()).extracting(RecordedRequest::status).containsExactly(401, 201, 401, 201);
			assertThat(exchanges()).isEqualTo(3);
		});
	}

	@Test
	void aServerThatRefusesEveryTokenCostsAtMostTwoExchanges() {
		this.runner.run((context) -> {
			WebClient web = context.getBean("c2mWebClient", WebClient.class);
			RestClient rest = context.getBean("c2mRestClient", RestClient.class);
			this.emulator.faults().always(Endpoint.SUBMIT_JOB, INVALID_TOKEN_CHALLENGE);
			for (int i = 0; i < 50; i++) {
				assertThatExceptionOfType(WebClientResponseException.Unauthorized.class)
					.isThrownBy(() -> web.post()
						.uri("/jobs/single-doc")
						.bodyValue(Map.of())
						.retrieve()
						.toBodilessEntity()
						.block())
					.satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).contains("invalid_token"));
				assertThatExceptionOfType(HttpClientErrorException.Unauthorized.class)
					.isThrownBy(() -> rest.post().uri("/jobs/single-doc").body(Map.of()).retrieve().toBodilessEntity());
			}
			assertThat(exchanges()).isLessThanOrEqualTo(2);
			// the first call was replayed once; no other call went out twice
			assertThat(submissions()).hasSize(101);
		});
	}

	@Test
	void concurrentRefusalsOfOneTokenCostOneExchange() {
		int calls = 16;
		this.runner.run((context) -> {
			WebClient web = context.getBean("c2mWebClient", WebClient.class);
			RestClient rest = context.getBean("c2mRestClient", RestClient.class);
			web.post().uri("/jobs/single-doc").bodyValue(Map.of()).retrieve().toBodilessEntity().block();
			CountDownLatch release = new CountDownLatch(1);
			this.emulator.faults().times(Endpoint.SUBMIT_JOB, calls, Fault.blockThen(release, INVALID_TOKEN_CHALLENGE));
			ExecutorService threads = Executors.newFixedThreadPool(calls / 2);
			try {
				List<Future<Integer>> results = new ArrayList<>();
				for (int i = 0; i < calls / 2; i++) {
					results.add(threads.submit(() -> rest.post()
						.uri("/jobs/single-doc")
						.body(Map.of())
						.retrieve()
						.toBodilessEntity()
						.getStatusCode()
						.value()));
				}
				List<Mono<ResponseEntity<Void>>> reactive = new ArrayList<>();
				for (int i = 0; i < calls / 2; i++) {
					reactive.add(web.post()
						.uri("/jobs/single-doc")
						.bodyValue(Map.of())
						.retrieve()
						.toBodilessEntity()
						.cache());
					reactive.get(i).subscribe((entity) -> {
					}, (ex) -> {
					});
				}
				assertThat(this.emulator.awaitRequestCount(Endpoint.SUBMIT_JOB, 1 + calls, Duration.ofSeconds(30)))
					.isTrue();
				release.countDown();
				for (Future<Integer> result : results) {
					assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(201);
				}
				for (Mono<ResponseEntity<Void>> result : reactive) {
					assertThat(result.block(Duration.ofSeconds(30)).getStatusCode().value()).isEqualTo(201);
				}
			}
			finally {
				release.countDown();
				threads.shutdownNow();
			}
			assertThat(exchanges()).isEqualTo(2);
			assertThat(submissions()).hasSize(1 + 2 * calls);
		});
	}

	@Test
	void aOneShotWebClientBodyIsReplayedWithTheBytesFirstSent() {
		this.runner.run((context) -> {
			WebClient web = context.getBean("c2mWebClient", WebClient.class);
			this.emulator.faults().once(Endpoint.SUBMIT_JOB, INVALID_TOKEN_CHALLENGE);
			InputStream once = new ByteArrayInputStream(
					"{\"document_ref\":\"doc-1\"}".getBytes(StandardCharsets.UTF_8));
			Flux<DataBuffer> body = DataBufferUtils.readInputStream(() -> once, DefaultDataBufferFactory.sharedInstance,
					8);
			web.post()
				.uri("/jobs/single-doc")
				.contentType(MediaType.APPLICATION_JSON)
				.body(BodyInserters.fromDataBuffers(body))
				.retrieve()
				.toBodilessEntity()
				.block();
			assertThat(submissions()).extracting(RecordedRequest::status).containsExactly(401, 201);
			assertThat(submissions()).extracting(RecordedRequest::body)
				.containsExactly("{\"document_ref\":\"doc-1\"}", "{\"document_ref\":\"doc-1\"}");
			assertThat(this.emulator.submittedJobs().get(0).body()).isEqualTo("{\"document_ref\":\"doc-1\"}");
		});
	}

	@Test
	void aWebClientBodyOverTheReplayLimitIsNotReplayed() {
		this.runner.run((context) -> {
			WebClient web = context.getBean("c2mWebClient", WebClient.class);
			this.emulator.faults().once(Endpoint.SUBMIT_JOB, INVALID_TOKEN_CHALLENGE);
			String large = "{\"pad\":\"" + "x".repeat(300 * 1024) + "\"}";
			assertThatExceptionOfType(WebClientResponseException.Unauthorized.class).isThrownBy(() -> web.post()
				.uri("/jobs/single-doc")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(large)
				.retrieve()
				.toBodilessEntity()
				.block());
			assertThat(submissions()).hasSize(1);
			// the refused token was evicted all the same: the next call carries a new one
			web.post().uri("/jobs/single-doc").bodyValue(Map.of()).retrieve().toBodilessEntity().block();
			assertThat(exchanges()).isEqualTo(2);
		});
	}

	@Test
	void aOneShotRestClientStreamingBodyIsReplayedFromTheBytesRestClientBuffered() {
		this.runner.run((context) -> {
			RestClient rest = context.getBean("c2mRestClient", RestClient.class);
			this.emulator.faults().once(Endpoint.SUBMIT_JOB, INVALID_TOKEN_CHALLENGE);
			InputStream once = new ByteArrayInputStream(
					"{\"document_ref\":\"doc-2\"}".getBytes(StandardCharsets.UTF_8));
			StreamingHttpOutputMessage.Body body = (out) -> once.transferTo(out);
			assertThat(body.repeatable()).isFalse();
			rest.post()
				.uri("/jobs/single-doc")
				.contentType(MediaType.APPLICATION_JSON)
				.body(body)
				.retrieve()
				.toBodilessEntity();
			assertThat(submissions()).extracting(RecordedRequest::status).containsExactly(401, 201);
			assertThat(submissions()).extracting(RecordedRequest::body)
				.containsExactly("{\"document_ref\":\"doc-2\"}", "{\"document_ref\":\"doc-2\"}");
		});
	}

}
