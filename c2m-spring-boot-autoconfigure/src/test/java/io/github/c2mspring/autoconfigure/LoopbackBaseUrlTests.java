package io.github.c2mspring.autoconfigure;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A plain {@code http} base URL is accepted without
 * {@code c2m.http.allow-insecure-base-url} only when its host is loopback by its very
 * text: an IPv4 literal in 127.0.0.0/8, the IPv6 literal {@code [::1]}, or exactly
 * {@code localhost}. A DNS name that merely looks like one could resolve anywhere, and
 * the client secret would cross the network in clear.
 */
class LoopbackBaseUrlTests {

	static Stream<Arguments> hosts() {
		return Stream.of(Arguments.of("127.0.0.1", true), Arguments.of("127.5.6.7", true),
				Arguments.of("127.255.255.254", true), Arguments.of("localhost", true), Arguments.of("LOCALHOST", true),
				Arguments.of("[::1]", true), Arguments.of("[0:0:0:0:0:0:0:1]", true),
				Arguments.of("127.attacker.example", false), Arguments.of("localhost.attacker.example", false),
				Arguments.of("127.0.0.1.nip.io", false), Arguments.of("app.localhost", false),
				Arguments.of("128.0.0.1", false), Arguments.of("10.0.0.1", false), Arguments.of("[::2]", false),
				Arguments.of("[fe80::1]", false), Arguments.of("localhostx", false),
				Arguments.of("api.click2mail.com", false));
	}

	@ParameterizedTest(name = "http://{0}:8080/v2 loopback={1}")
	@MethodSource("hosts")
	void onlyLiteralLoopbackHostsMaySkipTls(String host, boolean loopback) {
		String url = "http://" + host + ":8080/v2";
		if (loopback) {
			assertThat(C2MSettings.checkBaseUrl(url, false)).isEqualTo(url);
			return;
		}
		assertThatExceptionOfType(C2MConfigurationException.class)
			.isThrownBy(() -> C2MSettings.checkBaseUrl(url, false))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("c2m.base-url");
				assertThat(ex.getMessage()).contains("not loopback");
				assertThat(ex.getAction()).contains("https").contains("c2m.http.allow-insecure-base-url=true");
			});
		assertThat(C2MSettings.checkBaseUrl(url, true)).isEqualTo(url);
	}

	@Test
	void aLookAlikeHostStopsStartupWithoutTheSecretInTheMessage() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class,
					C2MOAuth2ClientAutoConfiguration.class))
			.withPropertyValues("c2m.client-id=c", "c2m.auth.client-secret=s3cret-value",
					"c2m.base-url=http://127.attacker.example/v2")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(C2MConfigurationException.class)
					.hasMessageContaining("'c2m.base-url'")
					.hasMessageContaining("not loopback")
					.hasMessageNotContaining("s3cret-value");
			});
	}

}
