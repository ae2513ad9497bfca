package io.github.c2mspring.auth.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.model.LongTokenResponse;
import io.github.c2mspring.auth.model.ShortTokenRequest;
import io.github.c2mspring.auth.model.ShortTokenResponse;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The observation of each call against the emulator: the default convention gives the
 * name and keys the client always had, a custom convention replaces it, and no key value
 * carries a secret.
 */
class C2MAuthObservationConventionTests {

	private static final String CLIENT_ID = "client-1";

	private static final String SECRET = "s3cret-value-123";

	private C2MEmulator emulator;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.start();
		this.emulator.clients()
			.register(CLIENT_ID)
			.secret(SECRET)
			.allowedScopes("jobs:submit", "tokens:write", "tokens:revoke");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	private C2MAuthClient.Builder client(String baseUrl, ObservationRegistry registry) {
		return C2MAuthClient.builder(WebClient.builder().baseUrl(baseUrl).build())
			.observationRegistry(registry)
			.callTimeout(Duration.ofSeconds(30));
	}

	private static LongTokenRequest issueRequest(List<String> scopes) {
		return LongTokenRequest.withClientSecret(CLIENT_ID, SECRET, scopes, null);
	}

	@Test
	void defaultConventionKeepsTheNameContextualNameAndKeys() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		C2MAuthClient client = client(this.emulator.baseUrl(), registry).build();
		String longTerm = client.issueLongTermToken(issueRequest(List.of("jobs:submit"))).block().accessToken();
		client.exchange(longTerm, ShortTokenRequest.defaultScopes()).block();
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.status(503));
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> client.exchange(longTerm, ShortTokenRequest.defaultScopes()).block());
		TestObservationRegistryAssert.assertThat(registry)
			.hasNumberOfObservationsEqualTo(3)
			.hasNumberOfObservationsWithNameEqualTo(C2MAuthClient.OBSERVATION_NAME, 3)
			.forAllObservationsWithNameEqualTo(C2MAuthClient.OBSERVATION_NAME,
					(observation) -> observation.hasOnlyKeys("operation", "outcome", "status"))
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("c2m issue-long-term-token")
				.hasLowCardinalityKeyValue("operation", "issue-long-term-token")
				.hasLowCardinalityKeyValue("outcome", "SUCCESS")
				.hasLowCardinalityKeyValue("status", "201")
				.doesNotHaveError())
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("c2m exchange-short-term-token")
				.hasLowCardinalityKeyValue("outcome", "SUCCESS")
				.hasLowCardinalityKeyValue("status", "201"))
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("c2m exchange-short-term-token")
				.hasLowCardinalityKeyValue("outcome", "SERVER_ERROR")
				.hasLowCardinalityKeyValue("status", "503")
				.hasError());
	}

	@Test
	void defaultConventionNamesNoStatusWhenNoAnswerCame() throws Exception {
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		TestObservationRegistry registry = TestObservationRegistry.create();
		C2MAuthClient client = client("http://127.0.0.1:" + closedPort + "/v2", registry).clientId(CLIENT_ID).build();
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> client.exchange("lt-token-value", ShortTokenRequest.defaultScopes()).block());
		TestObservationRegistryAssert.assertThat(registry)
			.hasSingleObservationThat()
			.hasNameEqualTo(C2MAuthClient.OBSERVATION_NAME)
			.hasOnlyKeys("operation", "outcome", "status")
			.hasLowCardinalityKeyValue("operation", "exchange-short-term-token")
			.hasLowCardinalityKeyValue("outcome", "TRANSPORT_ERROR")
			.hasLowCardinalityKeyValue("status", "NONE")
			.hasError();
		TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy((contexts) -> {
			C2MAuthObservationContext context = (C2MAuthObservationContext) contexts.get(0);
			assertThat(context.getOperation()).isEqualTo(C2MOperation.EXCHANGE_SHORT_TERM_TOKEN);
			assertThat(context.getClientId()).isEqualTo(CLIENT_ID);
			assertThat(context.getStatus()).isZero();
			assertThat(context.getErrorCode()).isEqualTo(C2MAuthException.TRANSPORT_CODE);
			assertThat(context.getOutcome()).isEqualTo(C2MAuthObservationContext.Outcome.TRANSPORT_ERROR);
		});
	}

	@Test
	void defaultConventionMetersKeepTheirTags() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		C2MAuthClient client = client(this.emulator.baseUrl(), registry).build();
		client.issueLongTermToken(issueRequest(List.of("jobs:submit"))).block();
		assertThat(tagKeys(meters.get(C2MAuthClient.OBSERVATION_NAME).timer())).containsExactly("error", "operation",
				"outcome", "status");
		LongTaskTimer active = meters.get(C2MAuthClient.OBSERVATION_NAME + ".active").longTaskTimer();
		assertThat(tagKeys(active)).containsExactly("operation");
	}

	@Test
	void aClientOfAnApplicationWithSeveralAccountsTagsItsCallsWithItsAccount() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		client(this.emulator.baseUrl(), registry).name("billing")
			.build()
			.issueLongTermToken(issueRequest(List.of("jobs:submit")))
			.block();
		assertThat(tagKeys(meters.get(C2MAuthClient.OBSERVATION_NAME).timer())).containsExactly("client", "error",
				"operation", "outcome", "status");
		assertThat(meters.get(C2MAuthClient.OBSERVATION_NAME).tag("client", "billing").timer().count()).isOne();
	}

	@Test
	void customConventionReplacesTheDefault() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		C2MAuthClient client = client(this.emulator.baseUrl(), registry).clientId(CLIENT_ID)
			.observationConvention(new TeamConvention())
			.build();
		client.issueLongTermToken(issueRequest(List.of("jobs:submit"))).block();
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> client.exchange("not-a-real-token", ShortTokenRequest.defaultScopes()).block());
		TestObservationRegistryAssert.assertThat(registry)
			.hasNumberOfObservationsWithNameEqualTo(C2MAuthClient.OBSERVATION_NAME, 0)
			.hasNumberOfObservationsWithNameEqualTo("team.c2m.calls", 2)
			.forAllObservationsWithNameEqualTo("team.c2m.calls",
					(observation) -> observation.hasOnlyKeys("op", "result", "client", "error.code"))
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("team issue-long-term-token")
				.hasLowCardinalityKeyValue("op", "issue-long-term-token")
				.hasLowCardinalityKeyValue("result", "SUCCESS")
				.hasLowCardinalityKeyValue("client", CLIENT_ID)
				.hasLowCardinalityKeyValue("error.code", "none"))
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("team exchange-short-term-token")
				.hasLowCardinalityKeyValue("result", "CLIENT_ERROR")
				.hasLowCardinalityKeyValue("client", CLIENT_ID)
				.hasLowCardinalityKeyValue("error.code", "invalid_token"));
	}

	@Test
	void noKeyValueOrNameCarriesASecret() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		C2MAuthClient client = client(this.emulator.baseUrl(), registry).clientId(CLIENT_ID).build();
		C2MAuthClient team = client(this.emulator.baseUrl(), registry).clientId(CLIENT_ID)
			.observationConvention(new TeamConvention())
			.build();
		List<String> secrets = new ArrayList<>(List.of(SECRET));
		for (C2MAuthClient each : List.of(client, team)) {
			LongTokenResponse longTerm = each
				.issueLongTermToken(issueRequest(List.of("jobs:submit", "tokens:write", "tokens:revoke")))
				.block();
			ShortTokenResponse shortTerm = each.exchange(longTerm.accessToken(), ShortTokenRequest.defaultScopes())
				.block();
			LongTokenResponse rotated = each
				.rotateLongTermToken(LongTokenRequest.forRotation(CLIENT_ID, null, null), shortTerm.accessToken())
				.block();
			each.revoke(longTerm.tokenId(), shortTerm.accessToken()).block();
			this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.status(500));
			assertThatExceptionOfType(C2MAuthException.class)
				.isThrownBy(() -> each.exchange(rotated.accessToken(), ShortTokenRequest.defaultScopes()).block());
			secrets.addAll(List.of(longTerm.accessToken(), shortTerm.accessToken(), rotated.accessToken()));
		}
		TestObservationRegistryAssert.assertThat(registry)
			.hasNumberOfObservationsEqualTo(10)
			.hasHandledContextsThatSatisfy((contexts) -> contexts.forEach((context) -> {
				List<String> seen = new ArrayList<>();
				seen.add(context.getName());
				seen.add(context.getContextualName());
				context.getAllKeyValues()
					.forEach((keyValue) -> seen.add(keyValue.getKey() + "=" + keyValue.getValue()));
				C2MAuthObservationContext auth = (C2MAuthObservationContext) context;
				seen.add(auth.getClientId());
				seen.add(auth.getErrorCode());
				seen.add(context.toString());
				for (String secret : secrets) {
					assertThat(seen).noneMatch((text) -> text != null && text.contains(secret));
				}
			}));
	}

	private static List<String> tagKeys(Meter meter) {
		return meter.getId().getTags().stream().map(Tag::getKey).sorted().toList();
	}

	/**
	 * A convention of an application's own: other name, other keys, the client id and the
	 * error code as tags.
	 */
	static final class TeamConvention implements C2MAuthObservationConvention {

		@Override
		public String getName() {
			return "team.c2m.calls";
		}

		@Override
		public String getContextualName(C2MAuthObservationContext context) {
			return "team " + context.getOperation().tagValue();
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(C2MAuthObservationContext context) {
			C2MAuthObservationContext.Outcome outcome = context.getOutcome();
			String clientId = context.getClientId();
			String code = context.getErrorCode();
			return KeyValues.of(KeyValue.of("op", context.getOperation().tagValue()),
					KeyValue.of("result", (outcome != null) ? outcome.name() : "PENDING"),
					KeyValue.of("client", (clientId != null) ? clientId : "none"),
					KeyValue.of("error.code", (code != null) ? code : "none"));
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof C2MAuthObservationContext;
		}

	}

}
