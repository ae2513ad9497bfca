package io.github.c2mspring.emulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class C2MEmulatorTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

	private KeyPair rsa;

	private KeyPair ec;

	private C2MEmulator emulator;

	@BeforeEach
	void start() throws Exception {
		KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
		rsaGenerator.initialize(2048);
		this.rsa = rsaGenerator.generateKeyPair();
		KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
		ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
		this.ec = ecGenerator.generateKeyPair();
		this.emulator = C2MEmulator.builder().clock(this.clock).start();
		this.emulator.clients()
			.register("c1")
			.secret("s1")
			.otp("111111")
			.publicKey(this.rsa.getPublic())
			.allowedScopes("jobs:*", "tokens:write", "tokens:revoke");
		this.emulator.clients().register("c2").publicKey(this.ec.getPublic()).allowedScopes("jobs:submit");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void issuesWithSecretAndHonoursScopesTtlAndClamping() throws Exception {
		HttpResponse<String> response = post("/auth/tokens/long", null,
				"{\"grant_type\":\"client_credentials\",\"client_id\":\"c1\",\"client_secret\":\"s1\",\"scopes\":[\"jobs:submit\"],\"ttl_seconds\":7776000}");
		assertThat(response.statusCode()).isEqualTo(201);
		JsonNode body = Json.read(response.body());
		assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
		assertThat(body.get("expires_in").asLong()).isEqualTo(7776000);
		assertThat(body.get("expires_at").asString()).isEqualTo("2026-04-01T00:00:00Z");
		assertThat(response.headers().firstValue("X-Token-Id")).hasValue(body.get("token_id").asString());
		this.emulator.setMaxLongTermTtl(Duration.ofDays(30));
		HttpResponse<String> clamped = post("/auth/tokens/long", null,
				"{\"grant_type\":\"client_credentials\",\"client_id\":\"c1\",\"client_secret\":\"s1\",\"ttl_seconds\":7776000}");
		assertThat(Json.read(clamped.body()).get("expires_in").asLong()).isEqualTo(2592000);
		assertThat(Json.read(clamped.body()).get("scopes")).hasSize(3);
	}

	@Test
	void rejectsBadLongTermRequests() throws Exception {
		assertError(
				post("/auth/tokens/long", null,
						"{\"grant_type\":\"client_credentials\",\"client_id\":\"c1\",\"client_secret\":\"wrong\"}"),
				401, "invalid_grant");
		assertError(post("/auth/tokens/long", null,
				"{\"grant_type\":\"client_credentials\",\"client_id\":\"c1\",\"client_secret\":\"s1\",\"extra\":1}"),
				400, "invalid_request");
		assertError(post("/auth/tokens/long", null,
				"{\"grant_type\":\"client_credentials\",\"client_id\":\"c1\",\"client_secret\":\"s1\",\"otp_code\":\"111111\"}"),
				400, "invalid_request");
		assertError(
				post("/auth/tokens/long", null,
						"{\"grant_type\":\"password\",\"client_id\":\"c1\",\"client_secret\":\"s1\"}"),
				400, "invalid_grant");
		assertError(post("/auth/tokens/long", null,
				"{\"grant_type\":\"client_credentials\",\"client_id\":\"c1\",\"client_secret\":\"s1\",\"ttl_seconds\":60}"),
				400, "invalid_request");
		assertError(post("/auth/tokens/long", null,
				"{\"grant_type\":\"client_credentials\",\"client_id\":\"c1\",\"client_secret\":\"s1\",\"scopes\":[\"admin\"]}"),
				403, "insufficient_scope");
		assertError(post("/auth/tokens/long", null, "{not json"), 400, "invalid_request");
	}

	@Test
	void oneTimeCodeWorksOnce() throws Exception {
		String body = "{\"grant_type\":\"client_credentials\",\"client_id\":\"c1\",\"otp_code\":\"111111\"}";
		assertThat(post("/auth/tokens/long", null, body).statusCode()).isEqualTo(201);
		assertError(post("/auth/tokens/long", null, body), 401, "invalid_grant");
	}

	@Test
	void verifiesAssertions() throws Exception {
		assertThat(
				post("/auth/tokens/long", null, assertionBody("c1", rsaAssertion("c1", this.emulator.audience(), 60)))
					.statusCode())
			.isEqualTo(201);
		assertThat(post("/auth/tokens/long", null, assertionBody("c2", ecAssertion("c2"))).statusCode()).isEqualTo(201);
		assertError(post("/auth/tokens/long", null, assertionBody("c1", rsaAssertion("c1", "https://other", 60))), 401,
				"invalid_grant");
		assertError(post("/auth/tokens/long", null,
				assertionBody("c1", rsaAssertion("c1", this.emulator.audience(), -120))), 401, "invalid_grant");
		String once = rsaAssertion("c1", this.emulator.audience(), 60);
		assertThat(post("/auth/tokens/long", null, assertionBody("c1", once)).statusCode()).isEqualTo(201);
		assertError(post("/auth/tokens/long", null, assertionBody("c1", once)), 401, "invalid_grant");
		assertError(
				post("/auth/tokens/long", null, assertionBody("c2", rsaAssertion("c2", this.emulator.audience(), 60))),
				401, "invalid_grant");
	}

	@Test
	void exchangesNarrowsAndExpires() throws Exception {
		String longToken = issue("c1", "s1");
		HttpResponse<String> all = post("/auth/tokens/short", longToken, null);
		assertThat(all.statusCode()).isEqualTo(201);
		assertThat(Json.read(all.body()).get("expires_in").asLong()).isEqualTo(900);
		HttpResponse<String> narrowed = post("/auth/tokens/short", longToken, "{\"scopes\":[\"jobs:submit\"]}");
		assertThat(Json.read(narrowed.body()).get("scopes").get(0).asString()).isEqualTo("jobs:submit");
		assertError(post("/auth/tokens/short", longToken, "{\"scopes\":[\"admin\"]}"), 400, "invalid_scope");
		assertError(post("/auth/tokens/short", longToken, "{\"nope\":1}"), 400, "invalid_request");
		String shortToken = Json.read(narrowed.body()).get("access_token").asString();
		assertError(post("/auth/tokens/short", shortToken, null), 401, "invalid_token");
		assertThat(post("/jobs/single-doc", shortToken, "{}").statusCode()).isEqualTo(201);
		this.clock.advance(Duration.ofSeconds(900));
		HttpResponse<String> expired = post("/jobs/single-doc", shortToken, "{}");
		assertError(expired, 401, "invalid_token");
		assertThat(expired.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("invalid_token"));
	}

	@Test
	void exchangesOnlyWithTheLongTermTokenInTheAuthorizationHeader() throws Exception {
		String longToken = issue("c1", "s1");
		String inBody = "{\"long_token\":\"" + longToken + "\"}";
		HttpResponse<String> withoutHeader = post("/auth/tokens/short", null, inBody);
		assertError(withoutHeader, 401, "invalid_token");
		assertThat(withoutHeader.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
		assertError(post("/auth/tokens/short", null, null), 401, "invalid_token");
		assertError(post("/auth/tokens/short", issue("c1", "s1"), inBody), 400, "invalid_request");
		assertThat(post("/auth/tokens/short", longToken, inBody).statusCode()).isEqualTo(201);
		assertThat(this.emulator.issuedCount(TokenKind.SHORT_TERM)).isEqualTo(1);
	}

	@Test
	void issuesWithACredentialOnlyWithTheClientIdHeader() throws Exception {
		String body = "{\"grant_type\":\"client_credentials\",\"client_id\":\"c1\",\"client_secret\":\"s1\"}";
		HttpResponse<String> withoutHeader = this.http
			.send(HttpRequest.newBuilder(URI.create(this.emulator.baseUrl() + "/auth/tokens/long"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertError(withoutHeader, 401, "invalid_client");
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isZero();
		assertThat(post("/auth/tokens/long", null, body).statusCode()).isEqualTo(201);
	}

	@Test
	void rotatesOnlyWithTokensWrite() throws Exception {
		String longToken = issue("c1", "s1");
		String writer = token(post("/auth/tokens/short", longToken, "{\"scopes\":[\"tokens:write\"]}"));
		String jobsOnly = token(post("/auth/tokens/short", longToken, "{\"scopes\":[\"jobs:submit\"]}"));
		String rotation = "{\"grant_type\":\"client_credentials\",\"client_id\":\"c1\"}";
		assertError(post("/auth/tokens/long", jobsOnly, rotation), 403, "insufficient_scope");
		HttpResponse<String> rotated = post("/auth/tokens/long", writer, rotation);
		assertThat(rotated.statusCode()).isEqualTo(201);
		assertThat(this.emulator.issuedTokens().get(this.emulator.issuedTokens().size() - 1).mechanism())
			.isEqualTo("rotation");
		assertError(post("/auth/tokens/long", longToken, rotation), 401, "invalid_token");
	}

	@Test
	void revokesIdempotently() throws Exception {
		String longToken = issue("c1", "s1");
		String id = this.emulator.issuedTokens().get(0).id();
		String shortToken = token(post("/auth/tokens/short", longToken, "{\"scopes\":[\"jobs:submit\"]}"));
		// the contract defines 204, 401 and 404 for a revocation: no 403
		HttpResponse<String> lacking = post("/auth/tokens/" + id + "/revoke", shortToken, null);
		assertError(lacking, 401, "insufficient_scope");
		assertThat(lacking.headers().firstValue("WWW-Authenticate"))
			.hasValue("Bearer error=\"insufficient_scope\", scope=\"tokens:revoke\"");
		assertThat(this.emulator.isRevoked(id)).isFalse();
		assertError(post("/auth/tokens/tok_lt_none/revoke", longToken, null), 404, "not_found");
		assertError(post("/auth/tokens/" + id + "/revoke", "garbage", null), 401, "invalid_token");
		assertThat(post("/auth/tokens/" + id + "/revoke", longToken, null).statusCode()).isEqualTo(204);
		assertThat(this.emulator.isRevoked(id)).isTrue();
		String other = issue("c1", "s1");
		assertThat(post("/auth/tokens/" + id + "/revoke", other, null).statusCode()).isEqualTo(204);
		assertError(post("/auth/tokens/short", longToken, null), 401, "invalid_token");
		assertThat(post("/jobs/single-doc", shortToken, "{}").statusCode()).isEqualTo(201);
	}

	@Test
	void protectedEndpointChecksScope() throws Exception {
		String longToken = issue("c1", "s1");
		String writer = token(post("/auth/tokens/short", longToken, "{\"scopes\":[\"tokens:write\"]}"));
		assertError(post("/jobs/single-doc", writer, "{}"), 403, "insufficient_scope");
		assertError(post("/jobs/single-doc", null, "{}"), 401, "invalid_token");
		assertError(post("/jobs/single-doc", longToken, "{}"), 401, "invalid_token");
		assertThat(this.emulator.submittedJobs()).isEmpty();
	}

	@Test
	void faultsApplyInOrderAndCountersCount() throws Exception {
		String longToken = issue("c1", "s1");
		this.emulator.faults()
			.once(Endpoint.SHORT_TERM_TOKEN, Fault.status(503))
			.once(Endpoint.SHORT_TERM_TOKEN, Fault.rateLimited("7"));
		assertError(post("/auth/tokens/short", longToken, null), 503, "server_error");
		HttpResponse<String> limited = post("/auth/tokens/short", longToken, null);
		assertError(limited, 429, "rate_limited");
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
		assertThat(post("/auth/tokens/short", longToken, null).statusCode()).isEqualTo(201);
		this.emulator.faults().always(Endpoint.SHORT_TERM_TOKEN, Fault.malformedBody());
		assertThat(post("/auth/tokens/short", longToken, null).body()).isEqualTo("{not json");
		assertThat(post("/auth/tokens/short", longToken, null).body()).isEqualTo("{not json");
		this.emulator.faults().clear();
		assertThat(post("/auth/tokens/short", longToken, null).statusCode()).isEqualTo(201);
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(6);
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
		assertThat(this.emulator.issuedCount(TokenKind.SHORT_TERM)).isEqualTo(2);
	}

	@Test
	void blockedRequestWaitsForTheLatch() throws Exception {
		String longToken = issue("c1", "s1");
		CountDownLatch latch = new CountDownLatch(1);
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.block(latch));
		CompletableFuture<HttpResponse<String>> pending = this.http
			.sendAsync(request("/auth/tokens/short", longToken, null), HttpResponse.BodyHandlers.ofString());
		assertThat(this.emulator.awaitRequestCount(Endpoint.SHORT_TERM_TOKEN, 1, Duration.ofSeconds(10))).isTrue();
		assertThat(pending).isNotDone();
		latch.countDown();
		assertThat(pending.get().statusCode()).isEqualTo(201);
		CountDownLatch second = new CountDownLatch(1);
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.blockThen(second, Fault.status(502)));
		CompletableFuture<HttpResponse<String>> failing = this.http
			.sendAsync(request("/auth/tokens/short", longToken, null), HttpResponse.BodyHandlers.ofString());
		assertThat(this.emulator.awaitRequestCount(Endpoint.SHORT_TERM_TOKEN, 2, Duration.ofSeconds(10))).isTrue();
		assertThat(failing).isNotDone();
		second.countDown();
		assertThat(failing.get().statusCode()).isEqualTo(502);
	}

	@Test
	void servesManyConcurrentExchanges() throws Exception {
		String longToken = issue("c1", "s1");
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			responses.add(this.http.sendAsync(request("/auth/tokens/short", longToken, null),
					HttpResponse.BodyHandlers.ofString()));
		}
		for (CompletableFuture<HttpResponse<String>> response : responses) {
			assertThat(response.get().statusCode()).isEqualTo(201);
		}
		assertThat(this.emulator.issuedCount(TokenKind.SHORT_TERM)).isEqualTo(200);
	}

	@Test
	void recordsNeverPrintSecrets() throws Exception {
		String longToken = issue("c1", "s1");
		assertThat(this.emulator.issuedTokens().get(0).toString()).doesNotContain(longToken);
		assertThat(this.emulator.requests().get(0).toString()).doesNotContain("s1\"");
		assertThat(this.emulator.requests().get(0).header("content-type")).isEqualTo("application/json");
	}

	private String issue(String clientId, String secret) throws Exception {
		return token(post("/auth/tokens/long", null, "{\"grant_type\":\"client_credentials\",\"client_id\":\""
				+ clientId + "\",\"client_secret\":\"" + secret + "\"}"));
	}

	private static String token(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return Json.read(response.body()).get("access_token").asString();
	}

	private static void assertError(HttpResponse<String> response, int status, String code) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		JsonNode body = Json.read(response.body());
		assertThat(body.get("code").asString()).isEqualTo(code);
		assertThat(body.get("message").asString()).isNotBlank();
	}

	private HttpResponse<String> post(String path, String bearer, String body) throws Exception {
		return this.http.send(request(path, bearer, body), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest request(String path, String bearer, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.emulator.baseUrl() + path))
			.header("Content-Type", "application/json")
			.POST((body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		else if (path.equals("/auth/tokens/long")) {
			// a credential in the body goes with the X-Client-Id header (the contract's
			// ClientKey)
			JsonNode json = (body != null) ? Json.read(body) : null;
			request.header("X-Client-Id",
					(json != null && json.has("client_id")) ? json.get("client_id").asString() : "c1");
		}
		return request.build();
	}

	private static String assertionBody(String clientId, String assertion) {
		return "{\"grant_type\":\"assertion\",\"client_id\":\"" + clientId + "\",\"assertion_type\":\""
				+ C2MEmulator.JWT_BEARER + "\",\"assertion\":\"" + assertion + "\"}";
	}

	private String rsaAssertion(String clientId, String audience, int expiresInSeconds) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims(clientId, audience, expiresInSeconds));
		jwt.sign(new RSASSASigner(this.rsa.getPrivate()));
		return jwt.serialize();
	}

	private String ecAssertion(String clientId) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256),
				claims(clientId, this.emulator.audience(), 60));
		jwt.sign(new ECDSASigner((java.security.interfaces.ECPrivateKey) this.ec.getPrivate()));
		return jwt.serialize();
	}

	private JWTClaimsSet claims(String clientId, String audience, int expiresInSeconds) {
		Instant now = this.clock.instant();
		return new JWTClaimsSet.Builder().issuer(clientId)
			.subject(clientId)
			.audience(audience)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(expiresInSeconds)))
			.jwtID(UUID.randomUUID().toString())
			.build();
	}

}
