package io.github.c2mspring.auth;

import java.net.ServerSocket;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import com.nimbusds.jwt.SignedJWT;
import io.github.c2mspring.auth.assertion.AssertionAlgorithm;
import io.github.c2mspring.auth.assertion.JwtAssertionSigner;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.model.LongTokenResponse;
import io.github.c2mspring.auth.model.ShortTokenRequest;
import io.github.c2mspring.auth.model.ShortTokenResponse;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.TokenKind;
import io.github.c2mspring.testsupport.TestKeys;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The typed client against the emulator: each mechanism, the exchange, revocation, and
 * every error the contract lists.
 */
class C2MAuthClientTests {

	private static final String CLIENT_ID = "client-1";

	private static final String SECRET = "s3cret-value-123";

	private final KeyPair rsaKey = TestKeys.rsa(2048);

	private final KeyPair ecKey = TestKeys.ec("secp256r1");

	private C2MEmulator emulator;

	private SimpleMeterRegistry meters;

	private C2MAuthClient client;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.start();
		this.emulator.clients()
			.register(CLIENT_ID)
			.secret(SECRET)
			.otp("123456")
			.publicKey(this.rsaKey.getPublic())
			.allowedScopes("jobs:submit", "templates:read", "tokens:write", "tokens:revoke");
		this.emulator.clients().register("ec-client").publicKey(this.ecKey.getPublic()).allowedScopes("jobs:submit");
		this.meters = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(this.meters));
		this.client = client(this.emulator.baseUrl(), observations, Duration.ofSeconds(5));
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	private static C2MAuthClient client(String baseUrl, ObservationRegistry observations, Duration timeout) {
		return new C2MAuthClient(WebClient.builder().baseUrl(baseUrl).build(), observations, timeout);
	}

	@Test
	void issuesWithClientSecret() {
		LongTokenResponse response = this.client
			.issueLongTermToken(LongTokenRequest.withClientSecret(CLIENT_ID, SECRET, List.of("jobs:submit"), 86400L))
			.block();
		assertThat(response.accessToken()).isNotBlank();
		assertThat(response.tokenId()).startsWith("tok_lt_");
		assertThat(response.scopes()).containsExactly("jobs:submit");
		assertThat(response.expiresIn()).isEqualTo(86400L);
		assertThat(this.emulator.issuedTokens()).singleElement()
			.satisfies((token) -> assertThat(token.mechanism()).isEqualTo("client_secret"));
		assertThat(this.emulator.requests().get(0).header("X-Client-Id")).isEqualTo(CLIENT_ID);
	}

	@Test
	void issuesWithOneTimeCodeOnlyOnce() {
		LongTokenRequest request = LongTokenRequest.withOtp(CLIENT_ID, "123456", null, null);
		assertThat(this.client.issueLongTermToken(request).block().accessToken()).isNotBlank();
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.client.issueLongTermToken(request).block())
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(401);
				assertThat(ex.getCode()).isEqualTo("invalid_grant");
				assertThat(ex.getOperation()).isEqualTo(C2MOperation.ISSUE_LONG_TERM_TOKEN);
				assertThat(ex.getMessage()).doesNotContain("123456");
			});
	}

	@Test
	void issuesWithRs256Assertion() throws Exception {
		JwtAssertionSigner signer = new JwtAssertionSigner(this.rsaKey.getPrivate(), "key-1", AssertionAlgorithm.RS256,
				this.emulator.baseUrl(), Duration.ofMinutes(5), java.time.Clock.systemUTC());
		String assertion = signer.sign(CLIENT_ID);
		SignedJWT jwt = SignedJWT.parse(assertion);
		assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
		assertThat(jwt.getHeader().getKeyID()).isEqualTo("key-1");
		assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(CLIENT_ID);
		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(CLIENT_ID);
		assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(this.emulator.baseUrl());
		assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank()
			.isNotEqualTo(SignedJWT.parse(signer.sign(CLIENT_ID)).getJWTClaimsSet().getJWTID());
		assertThat(Duration.between(jwt.getJWTClaimsSet().getIssueTime().toInstant(),
				jwt.getJWTClaimsSet().getExpirationTime().toInstant()))
			.isEqualTo(Duration.ofMinutes(5));
		LongTokenResponse response = this.client
			.issueLongTermToken(LongTokenRequest.withAssertion(CLIENT_ID, assertion, null, null))
			.block();
		assertThat(response.accessToken()).isNotBlank();
		assertThat(this.emulator.issuedTokens()).singleElement()
			.satisfies((token) -> assertThat(token.mechanism()).isEqualTo("assertion"));
	}

	@Test
	void issuesWithEs256Assertion() {
		JwtAssertionSigner signer = new JwtAssertionSigner(this.ecKey.getPrivate(), null, AssertionAlgorithm.ES256,
				this.emulator.baseUrl(), Duration.ofMinutes(2), java.time.Clock.systemUTC());
		LongTokenResponse response = this.client
			.issueLongTermToken(LongTokenRequest.withAssertion("ec-client", signer.sign("ec-client"), null, null))
			.block();
		assertThat(response.scopes()).containsExactly("jobs:submit");
	}

	@Test
	void assertionSignedByAnotherKeyIsRefused() {
		JwtAssertionSigner signer = new JwtAssertionSigner(TestKeys.rsa(2048).getPrivate(), null,
				AssertionAlgorithm.RS256, this.emulator.baseUrl(), Duration.ofMinutes(2), java.time.Clock.systemUTC());
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.client
				.issueLongTermToken(LongTokenRequest.withAssertion(CLIENT_ID, signer.sign(CLIENT_ID), null, null))
				.block())
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(401));
	}

	@Test
	void exchangesWithAndWithoutNarrowing() {
		String longToken = issue(List.of("jobs:submit", "templates:read", "tokens:revoke"));
		ShortTokenResponse all = this.client.exchange(longToken, ShortTokenRequest.defaultScopes()).block();
		assertThat(all.scopes()).containsExactlyInAnyOrder("jobs:submit", "templates:read", "tokens:revoke");
		assertThat(all.expiresIn()).isEqualTo(900L);
		assertThat(all.tokenId()).startsWith("tok_st_");
		ShortTokenResponse narrowed = this.client
			.exchange(longToken, ShortTokenRequest.narrowedTo(List.of("jobs:submit")))
			.block();
		assertThat(narrowed.scopes()).containsExactly("jobs:submit");
		assertThat(this.emulator.requests().get(1).body()).isEqualTo("{}");
		assertThat(this.emulator.requests().get(2).body()).isEqualTo("{\"scopes\":[\"jobs:submit\"]}");
	}

	@Test
	void widerScopesThanTheLongTermTokenAreRefused() {
		String longToken = issue(List.of("jobs:submit"));
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(
				() -> this.client.exchange(longToken, ShortTokenRequest.narrowedTo(List.of("tokens:write"))).block())
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(400);
				assertThat(ex.getOperation()).isEqualTo(C2MOperation.EXCHANGE_SHORT_TERM_TOKEN);
			});
	}

	@Test
	void rotatesWithShortTermTokenHavingTokensWrite() {
		String longToken = issue(List.of("jobs:submit", "tokens:write"));
		String shortToken = this.client.exchange(longToken, ShortTokenRequest.defaultScopes()).block().accessToken();
		LongTokenResponse rotated = this.client
			.rotateLongTermToken(LongTokenRequest.forRotation(CLIENT_ID, null, null), shortToken)
			.block();
		assertThat(rotated.accessToken()).isNotEqualTo(longToken);
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(2);
	}

	@Test
	void rotationWithoutTokensWriteIsForbidden() {
		String longToken = issue(List.of("jobs:submit", "tokens:write"));
		String shortToken = this.client.exchange(longToken, ShortTokenRequest.narrowedTo(List.of("jobs:submit")))
			.block()
			.accessToken();
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.client
				.rotateLongTermToken(LongTokenRequest.forRotation(CLIENT_ID, null, null), shortToken)
				.block())
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(403);
				assertThat(ex.getCode()).isEqualTo("insufficient_scope");
				assertThat(ex.getOperation()).isEqualTo(C2MOperation.ROTATE_LONG_TERM_TOKEN);
			});
	}

	@Test
	void revokesIdempotentlyAndRevokedLongTermTokenCannotBeExchanged() {
		LongTokenResponse issued = this.client
			.issueLongTermToken(
					LongTokenRequest.withClientSecret(CLIENT_ID, SECRET, List.of("jobs:submit", "tokens:revoke"), null))
			.block();
		this.client.revoke(issued.tokenId(), issued.accessToken()).block();
		assertThat(this.emulator.isRevoked(issued.tokenId())).isTrue();
		String other = issue(List.of("tokens:revoke"));
		this.client.revoke(issued.tokenId(), other).block();
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.client.exchange(issued.accessToken(), ShortTokenRequest.defaultScopes()).block())
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(401);
				assertThat(ex.getCode()).isEqualTo("invalid_token");
				assertThat(ex.isAuthenticationFailure()).isTrue();
			});
	}

	@Test
	void revokingUnknownTokenIsNotFound() {
		String token = issue(List.of("tokens:revoke"));
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.client.revoke("tok_lt_nope", token).block())
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(404);
				assertThat(ex.getCode()).isEqualTo("not_found");
				assertThat(ex.getOperation()).isEqualTo(C2MOperation.REVOKE_TOKEN);
			});
	}

	@Test
	void revokingWithoutTokensRevokeIsUnauthorized() {
		// the contract defines 204, 401 and 404 for a revocation: a token without the
		// scope gets 401
		String token = issue(List.of("jobs:submit"));
		String id = this.emulator.issuedTokens().get(0).id();
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> this.client.revoke(id, token).block())
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(401);
				assertThat(ex.getCode()).isEqualTo("insufficient_scope");
			});
		assertThat(this.emulator.isRevoked(id)).isFalse();
	}

	@Test
	void wrongSecretIsUnauthorizedAndNeverInTheMessage() {
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.client
				.issueLongTermToken(LongTokenRequest.withClientSecret(CLIENT_ID, "wrong-secret-42", null, null))
				.block())
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(401);
				assertThat(ex.getCode()).isEqualTo("invalid_grant");
				assertThat(ex.getMessage()).contains("issue-long-term-token").doesNotContain("wrong-secret-42");
			});
	}

	@Test
	void badRequestCarriesServerCode() {
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.client
				.issueLongTermToken(LongTokenRequest.withClientSecret(CLIENT_ID, SECRET, List.of("nope:scope"), null))
				.block())
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isIn(400, 403);
				assertThat(ex.getCode()).isNotEqualTo(C2MAuthException.UNKNOWN_CODE);
				assertThat(ex.getServerMessage()).isNotBlank();
			});
	}

	@ParameterizedTest
	@CsvSource({ "429, rate_limited, 30, PT30S", "500, server_error, , ", "503, server_error, , ",
			"400, invalid_grant, , ", "401, invalid_token, , ", "403, insufficient_scope, , ", "404, not_found, , " })
	void everyErrorStatusIsMapped(int status, String code, String retryAfter, Duration expectedRetryAfter) {
		String longToken = issue(List.of("jobs:submit"));
		this.emulator.faults()
			.once(Endpoint.SHORT_TERM_TOKEN,
					(retryAfter != null) ? Fault.rateLimited(retryAfter) : Fault.status(status, code, "told so"));
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.client.exchange(longToken, ShortTokenRequest.defaultScopes()).block())
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(status);
				assertThat(ex.getCode()).isEqualTo(code);
				assertThat(ex.getRetryAfter()).isEqualTo(expectedRetryAfter);
				assertThat(ex.isTransient()).isEqualTo(status == 429 || status >= 500);
			});
	}

	@Test
	void bodyThatIsNotAnAuthErrorStillGivesAClearMessage() {
		String longToken = issue(List.of("jobs:submit"));
		this.emulator.faults()
			.once(Endpoint.SHORT_TERM_TOKEN,
					Fault.raw(502, "text/html", "<html>Bad gateway</html>", java.util.Map.of()));
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.client.exchange(longToken, ShortTokenRequest.defaultScopes()).block())
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(502);
				assertThat(ex.getCode()).isEqualTo(C2MAuthException.UNKNOWN_CODE);
				assertThat(ex.getMessage()).contains("not an AuthError").contains("text/html");
			});
	}

	@Test
	void malformedSuccessBodyIsAnInvalidResponse() {
		String longToken = issue(List.of("jobs:submit"));
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.malformedBody());
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.client.exchange(longToken, ShortTokenRequest.defaultScopes()).block())
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(C2MAuthException.INVALID_RESPONSE_CODE));
	}

	@Test
	void connectionRefusedIsATransportErrorNamingTheOperation() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		C2MAuthClient refused = client("http://127.0.0.1:" + port + "/v2", ObservationRegistry.NOOP,
				Duration.ofSeconds(5));
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> refused.exchange("lt-token-value", ShortTokenRequest.defaultScopes()).block())
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isZero();
				assertThat(ex.getCode()).isEqualTo(C2MAuthException.TRANSPORT_CODE);
				assertThat(ex.getMessage()).contains("exchange-short-term-token").doesNotContain("lt-token-value");
				assertThat(ex.isTransient()).isTrue();
			});
	}

	@Test
	void slowAnswerTimesOut() {
		String longToken = issue(List.of("jobs:submit"));
		C2MAuthClient impatient = client(this.emulator.baseUrl(), ObservationRegistry.NOOP, Duration.ofMillis(300));
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.delay(Duration.ofSeconds(3)));
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> impatient.exchange(longToken, ShortTokenRequest.defaultScopes()).block())
			.satisfies((ex) -> {
				assertThat(ex.getCode()).isEqualTo(C2MAuthException.TRANSPORT_CODE);
				assertThat(ex.getMessage()).contains("raise the call timeout or the read timeout");
				assertThat(ex.getSettings()).containsExactly(C2MSetting.CALL_TIMEOUT, C2MSetting.READ_TIMEOUT);
			});
	}

	@Test
	void everyCallIsTimedWithOperationOutcomeAndStatus() {
		String longToken = issue(List.of("jobs:submit"));
		this.client.exchange(longToken, ShortTokenRequest.defaultScopes()).block();
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.status(503));
		try {
			this.client.exchange(longToken, ShortTokenRequest.defaultScopes()).block();
		}
		catch (C2MAuthException expected) {
			// recorded below
		}
		Timer success = this.meters.get(C2MAuthClient.OBSERVATION_NAME)
			.tags("operation", "exchange-short-term-token", "outcome", "SUCCESS", "status", "201")
			.timer();
		Timer failure = this.meters.get(C2MAuthClient.OBSERVATION_NAME)
			.tags("operation", "exchange-short-term-token", "outcome", "SERVER_ERROR", "status", "503")
			.timer();
		assertThat(success.count()).isEqualTo(1);
		assertThat(failure.count()).isEqualTo(1);
		assertThat(this.meters.get(C2MAuthClient.OBSERVATION_NAME)
			.tags("operation", "issue-long-term-token")
			.timer()
			.count()).isEqualTo(1);
	}

	private String issue(List<String> scopes) {
		return this.client.issueLongTermToken(LongTokenRequest.withClientSecret(CLIENT_ID, SECRET, scopes, null))
			.block()
			.accessToken();
	}

}
