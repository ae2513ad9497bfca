package io.github.c2mspring.autoconfigure;

import java.util.List;
import java.util.Map;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.store.TokenCipher;
import io.github.c2mspring.auth.store.TokenCipherException;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failure of the core that names its settings is reported at startup with the
 * {@code c2m.*} properties behind them, and every setting maps to properties that exist.
 */
class C2MSettingFailureAnalyzerTests {

	private C2MEmulator emulator;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void everySettingMapsToKnownProperties() {
		C2MPropertiesMetadata metadata = C2MPropertiesMetadata.load(getClass().getClassLoader());
		for (C2MSetting setting : C2MSetting.values()) {
			assertThat(C2MSettingProperties.propertiesFor(setting)).as(setting.name())
				.isNotEmpty()
				.allSatisfy((property) -> assertThat(metadata.accepts(ConfigurationPropertyName.of(property), false))
					.as(property)
					.isTrue());
		}
	}

	@Test
	void aCoreFailureThatStopsStartupNamesTheProperties() {
		this.emulator.faults()
			.once(Endpoint.LONG_TERM_TOKEN,
					Fault.raw(201, "application/json", "{\"access_token\":\"" + "x".repeat(8192) + "\"}", Map.of()));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class))
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
					"c2m.auth.client-secret=secret-1", "c2m.http.max-response-size=1KB")
			.withUserConfiguration(EagerTokenUser.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getCause()).isInstanceOf(C2MAuthException.class);
				assertThat(analysis.getDescription()).contains("(the maximum response size)")
					.contains("the maximum response size (c2m.http.max-response-size)")
					.doesNotContain("secret-1");
				assertThat(analysis.getAction())
					.isEqualTo("Review the property c2m.http.max-response-size in the light of the description above.");
			});
	}

	@Test
	void aCipherFailureNamesTheStoreProperties() {
		TokenCipher cipher = TokenCipher.aesGcm(Map.of("k1", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));
		new ApplicationContextRunner().withBean("eager", String.class, () -> cipher.decrypt("plain:the-token"))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getCause()).isInstanceOf(TokenCipherException.class);
				assertThat(analysis.getDescription()).contains("plain-text storage (c2m.auth.store.allow-plaintext)")
					.doesNotContain("the-token");
				assertThat(analysis.getAction()).contains("c2m.auth.store.allow-plaintext");
			});
	}

	@Test
	void settingsAreFoundBelowWrappersAndTranslatedForRunTimeUse() {
		C2MAuthException failure = new C2MAuthException(C2MOperation.EXCHANGE_SHORT_TERM_TOKEN, 0,
				C2MAuthException.TRANSPORT_CODE, null, null, "slow", null, false, C2MSetting.CALL_TIMEOUT,
				C2MSetting.READ_TIMEOUT);
		RuntimeException wrapped = new IllegalStateException("wrapped", failure);
		assertThat(C2MSettingProperties.settingsOf(wrapped)).containsExactly(C2MSetting.CALL_TIMEOUT,
				C2MSetting.READ_TIMEOUT);
		assertThat(C2MSettingProperties.propertiesFor(wrapped)).containsExactly("c2m.http.call-timeout",
				"c2m.http.read-timeout");
		assertThat(C2MSettingProperties.propertiesFor(new IllegalStateException("other"))).isEmpty();
		assertThat(new C2MSettingFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
	}

	private static FailureAnalysis analyze(Throwable failure) {
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.none(),
					SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
						// analyzers that need a bean factory are not ours
					}));
		assertThat(analyzers).hasAtLeastOneElementOfType(C2MSettingFailureAnalyzer.class);
		for (FailureAnalyzer analyzer : analyzers) {
			if (analyzer instanceof C2MSettingFailureAnalyzer) {
				FailureAnalysis analysis = analyzer.analyze(failure);
				assertThat(analysis).as("analysis of %s", failure).isNotNull();
				return analysis;
			}
		}
		throw new AssertionError("not reached");
	}

	/**
	 * An application bean that needs a token at startup.
	 */
	@Configuration(proxyBeanMethods = false)
	static class EagerTokenUser {

		@Bean
		String eager(C2MAuthOperations operations) {
			return operations.getAccessToken();
		}

	}

}
