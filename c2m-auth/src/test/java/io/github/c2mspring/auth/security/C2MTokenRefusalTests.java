package io.github.c2mspring.auth.security;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which 401 answers say the bearer token itself is bad.
 */
class C2MTokenRefusalTests {

	static Stream<Arguments> challenges() {
		return Stream.of(Arguments.of("Bearer error=\"invalid_token\"", Boolean.TRUE),
				Arguments.of("bearer realm=\"c2m\", error=invalid_token, error_description=\"expired\"", Boolean.TRUE),
				Arguments.of("Basic realm=\"x\", Bearer error=\"invalid_token\"", Boolean.TRUE),
				Arguments.of("Bearer error=\"insufficient_scope\", scope=\"jobs:submit\"", Boolean.FALSE),
				Arguments.of("Bearer error_description=\"invalid_token\"", null),
				Arguments.of("Bearer realm=\"c2m\"", null), Arguments.of("Basic realm=\"invalid_token\"", null),
				Arguments.of("BearerX error=\"invalid_token\"", null));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("challenges")
	void readsTheBearerChallenge(String challenge, Boolean invalidToken) {
		HttpHeaders headers = new HttpHeaders();
		headers.add(HttpHeaders.WWW_AUTHENTICATE, challenge);
		assertThat(C2MTokenRefusal.fromChallenge(headers)).isEqualTo(invalidToken);
	}

	static Stream<Arguments> bodies() {
		return Stream.of(Arguments.of("{\"code\":\"invalid_token\",\"message\":\"expired\"}", true),
				Arguments.of("{\"code\":\"invalid_token\"}", true),
				Arguments.of("{\"code\":\"account_suspended\",\"message\":\"no\"}", false),
				Arguments.of("{\"error\":\"invalid_token\"}", false), Arguments.of("invalid_token", false),
				Arguments.of("", false), Arguments.of("[1,2]", false));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("bodies")
	void readsTheContractsErrorBody(String body, boolean invalidToken) {
		assertThat(C2MTokenRefusal.fromBody(body.getBytes(StandardCharsets.UTF_8))).isEqualTo(invalidToken);
	}

}
