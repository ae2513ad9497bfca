package io.github.c2mspring.hardening;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.github.c2mspring.autoconfigure.C2MAutoConfiguration;
import io.github.c2mspring.autoconfigure.C2MConfigurationException;
import io.github.c2mspring.autoconfigure.C2MOAuth2ClientAutoConfiguration;
import io.github.c2mspring.autoconfigure.StartupFailureAnalysis;
import io.github.c2mspring.testsupport.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every invalid or contradictory {@code c2m.*} setting stops startup through a failure
 * analyzer (Spring Boot's for one invalid value, ours for the rest), naming the property
 * and saying the fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadConfigurationTests {

	private static final Path KEYS = keys();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, WebClientAutoConfiguration.class,
				C2MAutoConfiguration.class, C2MOAuth2ClientAutoConfiguration.class));

	private static Path keys() {
		try {
			Path dir = Files.createTempDirectory("c2m-keys");
			TestKeys.writePem(dir, "ec.pem", TestKeys.ec("secp256r1"));
			TestKeys.writePem(dir, "rsa1024.pem", TestKeys.rsa(1024));
			Files.writeString(dir.resolve("garbage.pem"),
					"-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");
			Files.writeString(dir.resolve("cert-only.pem"), "hello, no key here");
			return dir;
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	static Stream<Arguments> badSettings() {
		String secret = "c2m.auth.client-secret=s3cret-value";
		return Stream.of(bad("no client id", List.of(secret), "c2m.client-id", "no client id", "Set c2m.client-id"),
				bad("no credential", List.of("c2m.client-id=c"), "c2m.auth", "no credential", "exactly one of"),
				bad("two credentials", List.of("c2m.client-id=c", secret, "c2m.auth.long-term-token=lt-x"),
						"c2m.auth.long-term-token", "mutually exclusive", "remove the others"),
				bad("three credentials",
						List.of("c2m.client-id=c", secret, "c2m.auth.otp-code=1", "c2m.auth.long-term-token=lt"),
						"c2m.auth.otp-code", "mutually exclusive", "Keep exactly one"),
				bad("TTL under an hour", List.of("c2m.client-id=c", secret, "c2m.auth.long-term.ttl=30m"),
						"c2m.auth.long-term.ttl", "between 1 hour and 90 days", "from 1h to 90d"),
				bad("TTL over 90 days", List.of("c2m.client-id=c", secret, "c2m.auth.long-term.ttl=100d"),
						"c2m.auth.long-term.ttl", "between 1 hour and 90 days", "from 1h to 90d"),
				bad("missing key file",
						List.of("c2m.client-id=c", "c2m.auth.assertion.private-key=file:" + KEYS.resolve("nope.pem")),
						"c2m.auth.assertion.private-key", "does not exist or cannot be read", "PEM file"),
				bad("file without a key",
						List.of("c2m.client-id=c",
								"c2m.auth.assertion.private-key=file:" + KEYS.resolve("cert-only.pem")),
						"c2m.auth.assertion.private-key", "private key", "PKCS#8"),
				bad("unreadable PEM",
						List.of("c2m.client-id=c",
								"c2m.auth.assertion.private-key=file:" + KEYS.resolve("garbage.pem")),
						"c2m.auth.assertion.private-key", "private key", "PKCS#8"),
				bad("EC key with RS256",
						List.of("c2m.client-id=c", "c2m.auth.assertion.private-key=file:" + KEYS.resolve("ec.pem"),
								"c2m.auth.assertion.algorithm=RS256"),
						"c2m.auth.assertion.algorithm", "needs an RSA private key", "ES256"),
				bad("short RSA key",
						List.of("c2m.client-id=c",
								"c2m.auth.assertion.private-key=file:" + KEYS.resolve("rsa1024.pem")),
						"c2m.auth.assertion.algorithm", "at least 2048 bits", "2048 bits or more"),
				bad("zero assertion lifetime",
						List.of("c2m.client-id=c", "c2m.auth.assertion.private-key=file:" + KEYS.resolve("ec.pem"),
								"c2m.auth.assertion.lifetime=0s"),
						"c2m.auth.assertion.lifetime", "positive", "5m"),
				bad("plain http to a remote host",
						List.of("c2m.client-id=c", secret, "c2m.base-url=http://api.click2mail.com/v2"), "c2m.base-url",
						"not loopback", "allow-insecure-base-url"),
				bad("base URL without a host", List.of("c2m.client-id=c", secret, "c2m.base-url=https:///v2"),
						"c2m.base-url", "absolute http(s) URL", "https URL"),
				bad("base URL of another scheme",
						List.of("c2m.client-id=c", secret, "c2m.base-url=ftp://c2m.example/v2"), "c2m.base-url",
						"absolute http(s) URL", "https URL"),
				bad("zero connect timeout", List.of("c2m.client-id=c", secret, "c2m.http.connect-timeout=0s"),
						"c2m.http.connect-timeout", "positive", "5s"),
				bad("negative read timeout", List.of("c2m.client-id=c", secret, "c2m.http.read-timeout=-1s"),
						"c2m.http.read-timeout", "positive", "10s"),
				bad("zero call timeout", List.of("c2m.client-id=c", secret, "c2m.http.call-timeout=0ms"),
						"c2m.http.call-timeout", "positive", "30s"),
				bad("negative clock skew", List.of("c2m.client-id=c", secret, "c2m.auth.clock-skew=-5s"),
						"c2m.auth.clock-skew", "not be negative", "60s"),
				bad("refresh point out of range",
						List.of("c2m.client-id=c", secret, "c2m.auth.short-term.refresh-at=1.5"),
						"c2m.auth.short-term.refresh-at", "between 0 and 1", "0.5"),
				bad("refresh jitter too wide",
						List.of("c2m.client-id=c", secret, "c2m.auth.short-term.refresh-jitter=0.6"),
						"c2m.auth.short-term.refresh-jitter", "between 0 and 1", "0.1"),
				bad("backoff cap under its start",
						List.of("c2m.client-id=c", secret, "c2m.auth.retry.initial-backoff=10s",
								"c2m.auth.retry.max-backoff=1s"),
						"c2m.auth.retry.max-backoff", "shorter than", "at least"),
				bad("unknown SSL bundle", List.of("c2m.client-id=c", secret, "c2m.http.ssl-bundle=nope"),
						"c2m.http.ssl-bundle", "'nope'", "spring.ssl.bundle.pem.nope"),
				bad("proxy without a port", List.of("c2m.client-id=c", secret, "c2m.http.proxy.host=proxy.corp"),
						"c2m.http.proxy.port", "needs a port", "3128"),
				bad("proxy password without user",
						List.of("c2m.client-id=c", secret, "c2m.http.proxy.host=proxy.corp", "c2m.http.proxy.port=3128",
								"c2m.http.proxy.password=pw"),
						"c2m.http.proxy.password", "without a user name", "c2m.http.proxy.username"),
				bad("JDBC store without an encryption key",
						List.of("c2m.client-id=c", secret, "c2m.auth.store.type=jdbc"), "c2m.auth.store.encryption-key",
						"plain text", "openssl rand -base64 32"),
				bad("JDBC store with a short key",
						List.of("c2m.client-id=c", secret, "c2m.auth.store.type=jdbc",
								"c2m.auth.store.encryption-key=c2hvcnQ="),
						"c2m.auth.store.encryption-key", "32 bytes", "base64 256-bit key"),
				bad("JDBC store table name", List.of("c2m.client-id=c", secret, "c2m.auth.store.type=jdbc",
						"c2m.auth.store.allow-plaintext=true", "c2m.auth.store.table-name=tokens; drop table x"),
						"c2m.auth.store.table-name", "not a plain SQL table name", "letters, digits"),
				bad("rotation point out of range",
						List.of("c2m.client-id=c", secret, "c2m.auth.long-term.rotation.rotate-at=0"),
						"c2m.auth.long-term.rotation.rotate-at", "between 0 and 1", "0.5"),
				bad("negative grace period",
						List.of("c2m.client-id=c", secret, "c2m.auth.long-term.rotation.grace-period=-1m"),
						"c2m.auth.long-term.rotation.grace-period", "not be negative", "5m"),
				bad("zero store check interval", List.of("c2m.client-id=c", secret, "c2m.auth.store.check-interval=0s"),
						"c2m.auth.store.check-interval", "positive", "1m"),
				bad("zero store lease", List.of("c2m.client-id=c", secret, "c2m.auth.store.lease=0s"),
						"c2m.auth.store.lease", "positive", "1m"),
				bad("shared store lease within one call",
						List.of("c2m.client-id=c", secret, "c2m.auth.store.type=jdbc",
								"c2m.auth.store.allow-plaintext=true", "c2m.auth.store.initialize-schema=true",
								"c2m.auth.store.lease=20s"),
						"c2m.auth.store.lease", "not longer than c2m.http.call-timeout (PT20S <= PT30S)",
						"for example to 60s"),
				bad("client secret an unset variable",
						List.of("c2m.client-id=c", "c2m.auth.client-secret=${C2M_TEST_UNSET_SECRET}"),
						"c2m.auth.client-secret", "unresolved placeholder ${C2M_TEST_UNSET_SECRET}",
						"environment variable C2M_TEST_UNSET_SECRET"),
				bad("secret partly an unset variable",
						List.of("c2m.client-id=c", "c2m.auth.client-secret=s3cret-value${C2M_TEST_UNSET_TAIL}"),
						"c2m.auth.client-secret", "unresolved placeholder ${C2M_TEST_UNSET_TAIL}",
						"environment variable C2M_TEST_UNSET_TAIL"),
				bad("one-time code an unset variable",
						List.of("c2m.client-id=c", "c2m.auth.otp-code=${C2M_TEST_UNSET_OTP}"), "c2m.auth.otp-code",
						"unresolved placeholder ${C2M_TEST_UNSET_OTP}", "C2M_TEST_UNSET_OTP"),
				bad("long-term token an unset variable",
						List.of("c2m.client-id=c", "c2m.auth.long-term-token=${C2M_TEST_UNSET_TOKEN}"),
						"c2m.auth.long-term-token", "unresolved placeholder ${C2M_TEST_UNSET_TOKEN}",
						"C2M_TEST_UNSET_TOKEN"),
				bad("key file an unset variable",
						List.of("c2m.client-id=c", "c2m.auth.assertion.private-key=file:${C2M_TEST_UNSET_KEY}"),
						"c2m.auth.assertion.private-key", "unresolved placeholder ${C2M_TEST_UNSET_KEY}",
						"C2M_TEST_UNSET_KEY"),
				bad("store key an unset variable",
						List.of("c2m.client-id=c", secret, "c2m.auth.store.type=jdbc",
								"c2m.auth.store.encryption-key=${C2M_TEST_UNSET_STORE_KEY}"),
						"c2m.auth.store.encryption-key", "unresolved placeholder ${C2M_TEST_UNSET_STORE_KEY}",
						"C2M_TEST_UNSET_STORE_KEY"),
				bad("proxy password an unset variable",
						List.of("c2m.client-id=c", secret, "c2m.http.proxy.host=proxy.corp", "c2m.http.proxy.port=3128",
								"c2m.http.proxy.username=u", "c2m.http.proxy.password=${C2M_TEST_UNSET_PW}"),
						"c2m.http.proxy.password", "unresolved placeholder ${C2M_TEST_UNSET_PW}", "C2M_TEST_UNSET_PW"),
				bad("misspelt client secret", List.of("c2m.client-id=c", "c2m.auth.client-secrt=s3cret-value"),
						"c2m.auth.client-secrt", "closest known one is c2m.auth.client-secret",
						"c2m.strict-properties=false"),
				bad("singular short-term scope",
						List.of("c2m.client-id=c", secret, "c2m.auth.short-term.scope=jobs:submit"),
						"c2m.auth.short-term.scope", "closest known one is c2m.auth.short-term.scopes",
						"Rename c2m.auth.short-term.scope to c2m.auth.short-term.scopes"),
				bad("unknown top-level key", List.of("c2m.client-id=c", secret, "c2m.clientid-typo=x"),
						"c2m.clientid-typo", "closest known one is c2m.client-id", "c2m.strict-properties=false"));
	}

	private static Arguments bad(String name, List<String> properties, String property, String description,
			String action) {
		return Arguments.of(name, properties, property, description, action);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badSettings")
	void badSettingFailsStartupNamingThePropertyAndTheFix(String name, List<String> properties, String property,
			String description, String action) {
		this.runner.withPropertyValues(properties.toArray(String[]::new)).run((context) -> {
			assertThat(context).hasFailed();
			Throwable cause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
			FailureAnalysis analysis = StartupFailureAnalysis.analyze(context.getStartupFailure(),
					new StandardEnvironment());
			assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("s3cret-value");
			if (cause instanceof MutuallyExclusiveConfigurationPropertiesException) {
				// Boot's exception; without origins, reported by our fallback
				assertThat(analysis.getDescription()).contains(property).contains(description);
				assertThat(analysis.getAction()).contains(action);
				return;
			}
			assertThat(analysis.getDescription()).contains("'" + property + "'").contains(description);
			if (cause instanceof C2MConfigurationException) {
				assertThat(analysis.getAction()).contains(action);
			}
			else {
				// Boot's exception for one invalid value: the fix is in the reason
				assertThat(cause).isInstanceOf(InvalidConfigurationPropertyValueException.class);
				assertThat(analysis.getDescription()).contains(action);
			}
		});
	}

	@Test
	void aRealStartupPrintsTheAnalysis(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
				.properties("spring.main.banner-mode=off", "c2m.client-id=c", "c2m.auth.client-secret=s3cret-value",
						"c2m.auth.long-term.ttl=120d")
				.run());
		assertThat(output.getAll()).contains("for configuration property 'c2m.auth.long-term.ttl'")
			.contains("Action:")
			.contains("Set c2m.auth.long-term.ttl to a duration from 1h to 90d")
			.doesNotContain("s3cret-value");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
