package io.github.c2mspring.contract;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.LongTermTokenInfo;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.assertion.AssertionAlgorithm;
import io.github.c2mspring.auth.assertion.JwtAssertionSigner;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.model.LongTokenResponse;
import io.github.c2mspring.auth.model.ShortTokenRequest;
import io.github.c2mspring.auth.model.ShortTokenResponse;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.autoconfigure.C2MAutoConfiguration;
import io.github.c2mspring.autoconfigure.C2MOAuth2ClientAutoConfiguration;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.ManualClock;
import io.github.c2mspring.emulator.TokenKind;
import io.github.c2mspring.testsupport.Flows;
import io.github.c2mspring.testsupport.TestKeys;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The emulator keeps to the contract, checked mechanically: every request the starter
 * sends to it and every answer it gives is recorded on the wire (through
 * {@link RecordingProxy}) while the starter's real flows run, and validated against
 * {@code shared/spec/c2m-auth-v2.yaml} with an OpenAPI validator. Requests that break the
 * contract are also sent on purpose: the emulator must refuse them with an answer the
 * contract defines.
 */
class EmulatorContractTests {

	private static final String CLIENT_ID = "client-1";

	private static final String SECRET = "s3cret-value-123";

	private static final String OTP = "123456";

	private final ManualClock clock = ManualClock.startingNow();

	private final KeyPair rsaKey = TestKeys.rsa(2048);

	private static final ContractValidator CONTRACT = new ContractValidator();

	private C2MEmulator emulator;

	private RecordingProxy proxy;

	private C2MAuthClient client;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().clock(this.clock).start();
		this.emulator.clients()
			.register(CLIENT_ID)
			.secret(SECRET)
			.otp(OTP)
			.publicKey(this.rsaKey.getPublic())
			.allowedScopes("jobs:submit", "templates:read", "tokens:write", "tokens:revoke");
		URI emulatorBase = URI.create(this.emulator.baseUrl());
		this.proxy = new RecordingProxy(emulatorBase.resolve("/"));
		this.client = new C2MAuthClient(WebClient.builder().baseUrl(baseUrl()).build(), ObservationRegistry.NOOP,
				Duration.ofSeconds(10));
	}

	@AfterEach
	void stop() {
		this.proxy.close();
		this.emulator.close();
	}

	private String baseUrl() {
		return this.proxy.origin() + ContractValidator.BASE_PATH;
	}

	@Test
	void issuingExchangingRotatingAndRevokingFollowTheContract() {
		LongTokenResponse withSecret = this.client.issueLongTermToken(LongTokenRequest.withClientSecret(CLIENT_ID,
				SECRET, List.of("jobs:submit", "templates:read", "tokens:write", "tokens:revoke"), 86400L))
			.block();
		this.client.issueLongTermToken(LongTokenRequest.withOtp(CLIENT_ID, OTP, List.of("jobs:submit"), null)).block();
		JwtAssertionSigner signer = new JwtAssertionSigner(this.rsaKey.getPrivate(), "key-1", AssertionAlgorithm.RS256,
				this.emulator.audience(), Duration.ofMinutes(5), this.clock);
		this.client.issueLongTermToken(LongTokenRequest.withAssertion(CLIENT_ID, signer.sign(CLIENT_ID), null, null))
			.block();
		ShortTokenResponse full = this.client.exchange(withSecret.accessToken(), ShortTokenRequest.defaultScopes())
			.block();
		ShortTokenResponse narrowed = this.client
			.exchange(withSecret.accessToken(), ShortTokenRequest.narrowedTo(List.of("templates:read")))
			.block();
		LongTokenResponse rotated = this.client
			.rotateLongTermToken(LongTokenRequest.forRotation(CLIENT_ID, null, 7200L), full.accessToken())
			.block();
		this.client.revoke(narrowed.tokenId(), rotated.accessToken()).block();
		this.client.revoke(narrowed.tokenId(), full.accessToken()).block();
		this.client.revoke(withSecret.tokenId(), rotated.accessToken()).block();
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.client.revoke("tok_lt_unknown", rotated.accessToken()).block())
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(404));
		assertTheStarterAndTheEmulatorKeptToTheContract();
		assertThat(statuses()).containsExactly(201, 201, 201, 201, 201, 201, 204, 204, 204, 404);
	}

	@Test
	void refusalsAndErrorsFollowTheContract() {
		LongTokenResponse jobsOnly = this.client
			.issueLongTermToken(LongTokenRequest.withClientSecret(CLIENT_ID, SECRET, List.of("jobs:submit"), null))
			.block();
		ShortTokenResponse jobsToken = this.client.exchange(jobsOnly.accessToken(), ShortTokenRequest.defaultScopes())
			.block();
		this.client.issueLongTermToken(LongTokenRequest.withOtp(CLIENT_ID, OTP, null, null)).block();
		List<Runnable> refused = List.of(
				// a wrong secret, a one-time code used twice, scopes the client may not
				// have
				() -> this.client.issueLongTermToken(LongTokenRequest.withClientSecret(CLIENT_ID, "wrong", null, null))
					.block(),
				() -> this.client.issueLongTermToken(LongTokenRequest.withOtp(CLIENT_ID, OTP, null, null)).block(),
				() -> this.client
					.issueLongTermToken(LongTokenRequest.withClientSecret(CLIENT_ID, SECRET, List.of("admin:*"), null))
					.block(),
				// narrowing beyond the long-term token's scopes, rotating without
				// tokens:write
				() -> this.client
					.exchange(jobsOnly.accessToken(), ShortTokenRequest.narrowedTo(List.of("templates:read")))
					.block(),
				() -> this.client
					.rotateLongTermToken(LongTokenRequest.forRotation(CLIENT_ID, null, null), jobsToken.accessToken())
					.block(),
				// revoking with tokens that lack tokens:revoke (long- and short-term)
				() -> this.client.revoke(jobsToken.tokenId(), jobsOnly.accessToken()).block(),
				() -> this.client.revoke(jobsToken.tokenId(), jobsToken.accessToken()).block(),
				// rate limited
				() -> {
					this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.rateLimited("30"));
					this.client.exchange(jobsOnly.accessToken(), ShortTokenRequest.defaultScopes()).block();
				}, () -> {
					this.emulator.faults().once(Endpoint.LONG_TERM_TOKEN, Fault.rateLimited("30"));
					this.client.issueLongTermToken(LongTokenRequest.withClientSecret(CLIENT_ID, SECRET, null, null))
						.block();
				},
				// a revoked long-term token, and revoking with a revoked token
				() -> {
					this.emulator.revoke(jobsOnly.tokenId());
					this.client.exchange(jobsOnly.accessToken(), ShortTokenRequest.defaultScopes()).block();
				}, () -> this.client.revoke(jobsToken.tokenId(), jobsOnly.accessToken()).block());
		List<Integer> statuses = new ArrayList<>();
		for (Runnable call : refused) {
			assertThatExceptionOfType(C2MAuthException.class).isThrownBy(call::run)
				.satisfies((ex) -> statuses.add(ex.getStatus()));
		}
		assertTheStarterAndTheEmulatorKeptToTheContract();
		assertThat(statuses).containsExactly(401, 401, 403, 400, 403, 401, 401, 429, 429, 401, 401);
		assertThat(this.emulator.isRevoked(jobsToken.tokenId())).isFalse();
	}

	@Test
	void theAutoConfiguredStarterFollowsTheContract() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(WebClientAutoConfiguration.class, RestClientAutoConfiguration.class,
							C2MAutoConfiguration.class, C2MOAuth2ClientAutoConfiguration.class))
			.withBean(C2MAutoConfiguration.CLOCK_BEAN_NAME, Clock.class, () -> this.clock)
			.withPropertyValues("c2m.base-url=" + baseUrl(), "c2m.client-id=" + CLIENT_ID,
					"c2m.auth.client-secret=" + SECRET,
					"c2m.auth.long-term.scopes=jobs:submit,templates:read,tokens:write,tokens:revoke",
					"c2m.auth.long-term.ttl=2h", "c2m.auth.short-term.scopes=jobs:submit",
					"c2m.auth.revoke-on-shutdown=true")
			.run((context) -> {
				C2MAuthOperations operations = context.getBean(C2MAuthOperations.class);
				C2MTokenManager manager = context.getBean(C2MTokenManager.class);
				// issue, exchange, the API calls through both clients
				Flows.submitThroughBothClients(context);
				ShortTermToken narrowed = operations.getShortTermToken(List.of("templates:read"));
				operations.revokeToken(narrowed.tokenId());
				// a revoked short-term token: the API answers 401, the clients exchange
				// again
				this.emulator.revoke(manager.diagnostics().currentShortTermToken(Set.of()).orElseThrow().tokenId());
				Flows.submitThroughBothClients(context);
				// a revoked long-term token: the exchange is refused, the credential
				// issues again
				LongTermTokenInfo first = operations.getLongTermTokenInfo();
				this.emulator.revoke(first.tokenId());
				this.emulator.revoke(manager.diagnostics().currentShortTermToken(Set.of()).orElseThrow().tokenId());
				Flows.submitThroughBothClients(context);
				assertThat(operations.getLongTermTokenInfo().tokenId()).isNotEqualTo(first.tokenId());
				// rotation at half-life, and the rotated-out token revoked after the
				// grace period
				LongTermTokenInfo beforeRotation = operations.getLongTermTokenInfo();
				this.clock.advance(Duration.ofMinutes(61));
				manager.checkLongTermToken().block(Duration.ofSeconds(10));
				assertThat(operations.getLongTermTokenInfo().tokenId()).isNotEqualTo(beforeRotation.tokenId());
				this.clock.advance(Duration.ofMinutes(6));
				manager.checkLongTermToken().block(Duration.ofSeconds(10));
				assertThat(this.emulator.isRevoked(beforeRotation.tokenId())).isTrue();
				Flows.submitThroughBothClients(context);
			});
		assertThat(this.proxy.exchanges()).filteredOn(ContractValidator::covered)
			.extracting(RecordingProxy.Exchange::status)
			.contains(201, 204, 401);
		assertTheStarterAndTheEmulatorKeptToTheContract();
	}

	@Test
	void anExchangeWithTheLongTermTokenInTheBodyInsteadOfTheBearerHeaderIsRefused() throws Exception {
		LongTokenResponse issued = this.client
			.issueLongTermToken(LongTokenRequest.withClientSecret(CLIENT_ID, SECRET, null, null))
			.block();
		HttpResponse<String> answer = post("/auth/tokens/short", Map.of(),
				"{\"long_token\":\"" + issued.accessToken() + "\"}");
		assertRefusedAsTheContractSays(answer, 401);
		assertThat(this.emulator.issuedCount(TokenKind.SHORT_TERM)).isZero();
	}

	@Test
	void anIssuanceWithoutTheClientIdHeaderOrABearerIsRefused() throws Exception {
		HttpResponse<String> answer = post("/auth/tokens/long", Map.of(),
				"{\"grant_type\":\"client_credentials\",\"client_id\":\"" + CLIENT_ID + "\",\"client_secret\":\""
						+ SECRET + "\"}");
		assertRefusedAsTheContractSays(answer, 401);
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isZero();
	}

	@Test
	void theValidatorRejectsAnswersAndRequestsOutsideTheContract() {
		Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));
		Map<String, List<String>> bearer = Map.of("Authorization", List.of("Bearer abc"));
		String error = "{\"code\":\"insufficient_scope\",\"message\":\"no\"}";
		// a status the operation does not define
		assertThat(CONTRACT.responseErrors(
				new RecordingProxy.Exchange("POST", "/v2/auth/tokens/t1/revoke", bearer, "", 403, json, error)))
			.isNotEmpty();
		assertThat(CONTRACT.responseErrors(
				new RecordingProxy.Exchange("POST", "/v2/auth/tokens/t1/revoke", bearer, "", 401, json, error)))
			.isEmpty();
		// a token answer without its access_token, an error without its code
		assertThat(CONTRACT.responseErrors(new RecordingProxy.Exchange("POST", "/v2/auth/tokens/short", bearer, "", 201,
				json, "{\"token_type\":\"Bearer\",\"expires_in\":900,\"expires_at\":\"2026-01-01T00:00:00Z\"}")))
			.isNotEmpty();
		assertThat(CONTRACT.responseErrors(new RecordingProxy.Exchange("POST", "/v2/auth/tokens/short", bearer, "", 401,
				json, "{\"message\":\"no\"}")))
			.isNotEmpty();
		// an unknown field; no bearer on the exchange
		assertThat(CONTRACT.requestErrors(new RecordingProxy.Exchange("POST", "/v2/auth/tokens/short",
				merge(bearer, json), "{\"scope\":\"jobs:submit\"}", 0, Map.of(), "")))
			.isNotEmpty();
		assertThat(CONTRACT.requestErrors(new RecordingProxy.Exchange("POST", "/v2/auth/tokens/short", json,
				"{\"long_token\":\"abc\"}", 0, Map.of(), "")))
			.isNotEmpty();
		assertThat(CONTRACT.requestErrors(new RecordingProxy.Exchange("POST", "/v2/auth/tokens/short",
				merge(bearer, json), "{\"long_token\":\"abc\"}", 0, Map.of(), "")))
			.isEmpty();
	}

	private static Map<String, List<String>> merge(Map<String, List<String>> a, Map<String, List<String>> b) {
		Map<String, List<String>> merged = new java.util.LinkedHashMap<>(a);
		merged.putAll(b);
		return merged;
	}

	private HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The request sent on purpose breaks the contract (the validator says so) and the
	 * emulator refused it with an answer the contract defines for the operation.
	 */
	private void assertRefusedAsTheContractSays(HttpResponse<String> answer, int expectedStatus) {
		List<RecordingProxy.Exchange> exchanges = this.proxy.exchanges();
		RecordingProxy.Exchange crafted = exchanges.get(exchanges.size() - 1);
		assertThat(CONTRACT.requestErrors(crafted)).as("what the contract says of the request").isNotEmpty();
		assertThat(answer.statusCode()).as("the emulator's answer to a request the contract does not allow")
			.isEqualTo(expectedStatus);
		assertThat(CONTRACT.responseErrors(crafted)).as("the answer against the contract").isEmpty();
		assertTheStarterAndTheEmulatorKeptToTheContract(exchanges.subList(0, exchanges.size() - 1));
	}

	private List<Integer> statuses() {
		return this.proxy.exchanges()
			.stream()
			.filter(ContractValidator::covered)
			.map(RecordingProxy.Exchange::status)
			.toList();
	}

	private void assertTheStarterAndTheEmulatorKeptToTheContract() {
		assertThat(this.proxy.exchanges()).filteredOn(ContractValidator::covered).isNotEmpty();
		assertTheStarterAndTheEmulatorKeptToTheContract(this.proxy.exchanges());
	}

	private void assertTheStarterAndTheEmulatorKeptToTheContract(List<RecordingProxy.Exchange> exchanges) {
		List<RecordingProxy.Exchange> covered = exchanges.stream().filter(ContractValidator::covered).toList();
		List<String> violations = new ArrayList<>();
		for (RecordingProxy.Exchange exchange : covered) {
			CONTRACT.requestErrors(exchange)
				.forEach((error) -> violations.add(exchange + ": the starter's request: " + error));
			CONTRACT.responseErrors(exchange)
				.forEach((error) -> violations.add(exchange + ": the emulator's answer: " + error));
		}
		assertThat(violations).as("departures from shared/spec/c2m-auth-v2.yaml").isEmpty();
	}

}
