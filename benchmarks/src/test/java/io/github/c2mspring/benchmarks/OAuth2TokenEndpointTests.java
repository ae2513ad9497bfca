package io.github.c2mspring.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.c2mspring.emulator.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.client.endpoint.OAuth2ClientCredentialsGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The benchmarks' OAuth 2 token endpoint answers stock Spring Security's
 * client-credentials client with tokens shaped as the emulator's, refuses what RFC 6749
 * refuses, and takes the benchmarks' faults.
 */
class OAuth2TokenEndpointTests {

	private final ManualClock clock = ManualClock.startingNow();

	private final HttpClient http = HttpClient.newHttpClient();

	private OAuth2TokenEndpoint endpoint;

	@BeforeEach
	void start() {
		this.endpoint = OAuth2TokenEndpoint.start(this.clock, Duration.ofMinutes(15), "c1", "s1",
				List.of("jobs:submit", "tokens:write"));
	}

	@AfterEach
	void stop() {
		this.endpoint.close();
	}

	@Test
	void stockSpringSecurityClientGetsAShortTermShapedToken() throws Exception {
		Instant issuedAt = this.clock.instant();
		OAuth2AccessTokenResponse response = new RestClientClientCredentialsTokenResponseClient()
			.getTokenResponse(new OAuth2ClientCredentialsGrantRequest(registration("s1")));
		assertThat(response.getAccessToken().getScopes()).containsExactly("jobs:submit");
		assertThat(Duration.between(response.getAccessToken().getIssuedAt(), response.getAccessToken().getExpiresAt()))
			.isEqualTo(Duration.ofMinutes(15));
		JWTClaimsSet claims = SignedJWT.parse(response.getAccessToken().getTokenValue()).getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo("c1");
		assertThat(claims.getJWTID()).startsWith("tok_st_");
		assertThat(claims.getStringClaim("typ")).isEqualTo("st");
		assertThat(claims.getStringClaim("scope")).isEqualTo("jobs:submit");
		assertThat(claims.getIssueTime().toInstant()).isEqualTo(issuedAt.truncatedTo(ChronoUnit.SECONDS));
		assertThat(this.endpoint.requestCount()).isEqualTo(1);
	}

	@Test
	void refusesAWrongSecretAnUnknownGrantAndAScopeNotAllowed() throws Exception {
		assertThat(post(null, "grant_type=client_credentials&client_id=c1&client_secret=no").statusCode())
			.isEqualTo(401);
		assertThat(post(basic("c1", "s1"), "grant_type=password").statusCode()).isEqualTo(400);
		HttpResponse<String> scope = post(basic("c1", "s1"), "grant_type=client_credentials&scope=tokens%3Arevoke");
		assertThat(scope.statusCode()).isEqualTo(400);
		assertThat(scope.body()).contains("invalid_scope");
		HttpResponse<String> inBody = post(null, "grant_type=client_credentials&client_id=c1&client_secret=s1");
		assertThat(inBody.statusCode()).isEqualTo(200);
		assertThat(inBody.body()).contains("\"expires_in\":900").contains("\"scope\":\"jobs:submit tokens:write\"");
		assertThat(this.endpoint.requestCount()).isEqualTo(4);
	}

	@Test
	void failsWithTheInjectedStatusUntilCleared() throws Exception {
		this.endpoint.fail(503);
		HttpResponse<String> failed = post(basic("c1", "s1"), "grant_type=client_credentials");
		assertThat(failed.statusCode()).isEqualTo(503);
		assertThat(failed.body()).contains("server_error");
		assertThatException().isThrownBy(() -> new RestClientClientCredentialsTokenResponseClient()
			.getTokenResponse(new OAuth2ClientCredentialsGrantRequest(registration("s1"))));
		this.endpoint.clear();
		assertThat(post(basic("c1", "s1"), "grant_type=client_credentials").statusCode()).isEqualTo(200);
		assertThat(this.endpoint.requestCount()).isEqualTo(3);
	}

	private ClientRegistration registration(String secret) {
		return ClientRegistration.withRegistrationId("spring")
			.clientId("c1")
			.clientSecret(secret)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.tokenUri(this.endpoint.tokenUri())
			.scope("jobs:submit")
			.build();
	}

	private HttpResponse<String> post(String authorization, String form) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.endpoint.tokenUri()))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String basic(String id, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
	}

}
