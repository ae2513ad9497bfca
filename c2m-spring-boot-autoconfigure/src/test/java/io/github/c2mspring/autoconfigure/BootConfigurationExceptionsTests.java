package io.github.c2mspring.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where Spring Boot's own configuration exceptions fit (one invalid value, properties
 * that exclude each other), they are used, so that the analysis a startup prints shows
 * where each property was set (file and line), and never a secret.
 */
class BootConfigurationExceptionsTests {

	private final AtomicReference<ConfigurableEnvironment> environment = new AtomicReference<>();

	private ApplicationContextRunner runnerWith(String yaml) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class))
			.withInitializer((context) -> {
				context.getEnvironment().getPropertySources().addFirst(load(yaml));
				this.environment.set(context.getEnvironment());
			});
	}

	private static PropertySource<?> load(String yaml) {
		try {
			return new YamlPropertySourceLoader()
				.load(yaml, new ClassPathResource(yaml, BootConfigurationExceptionsTests.class))
				.get(0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void anInvalidValueIsReportedWithItsOrigin() {
		runnerWith("bad-call-timeout.yml").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class);
			FailureAnalysis analysis = StartupFailureAnalysis.analyze(context.getStartupFailure(),
					this.environment.get());
			assertThat(analysis.getDescription())
				.contains("Invalid value '0s' for configuration property 'c2m.http.call-timeout'")
				.contains("bad-call-timeout.yml")
				.contains("6:19")
				.contains("must be a positive duration")
				.contains("Set c2m.http.call-timeout to a positive duration such as 30s.")
				.doesNotContain("s3cret-value");
			assertThat(analysis.getAction()).contains("Review the value of the property");
		});
	}

	@Test
	void twoCredentialsAreReportedAsMutuallyExclusiveWithTheirOrigins() {
		runnerWith("two-credentials.yml").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(MutuallyExclusiveConfigurationPropertiesException.class,
						(ex) -> assertThat(ex.getConfiguredNames()).containsExactlyInAnyOrder("c2m.auth.client-secret",
								"c2m.auth.long-term-token"));
			FailureAnalysis analysis = StartupFailureAnalysis.analyze(context.getStartupFailure(),
					this.environment.get());
			assertThat(analysis.getDescription()).contains("mutually exclusive")
				.contains("c2m.auth.otp-code")
				.contains("c2m.auth.assertion.private-key")
				.contains("c2m.auth.client-secret (originating from 'class path resource")
				.contains("two-credentials.yml] - 4:20")
				.contains("c2m.auth.long-term-token (originating from")
				.doesNotContain("s3cret-value");
			assertThat(analysis.getAction()).contains("only one of the mutually exclusive properties");
		});
	}

	@Test
	void credentialsSetInAnotherRelaxedFormAreStillReported() {
		runnerWith("two-credentials-relaxed.yml").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = StartupFailureAnalysis.analyze(context.getStartupFailure(),
					this.environment.get());
			assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains("c2m.auth.client-secret, c2m.auth.otp-code are configured")
				.doesNotContain("s3cret-value")
				.doesNotContain("123456");
			assertThat(analysis.getAction()).contains("Keep exactly one of");
		});
	}

	@Test
	void theFallbackLeavesToSpringBootWhatItCanReport() {
		runnerWith("two-credentials.yml").run((context) -> assertThat(
				new C2MCredentialConflictFailureAnalyzer(this.environment.get()).analyze(context.getStartupFailure()))
			.isNull());
	}

}
