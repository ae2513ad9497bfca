package io.github.c2mspring.autoconfigure;

import java.util.Map;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.token.C2MTokenManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The {@code c2m.*} keys are checked against the known properties before any bean is
 * created, in every relaxed form Spring Boot binds, and values still holding an
 * unresolved placeholder stop startup.
 */
@ExtendWith(OutputCaptureExtension.class)
class C2MPropertiesCheckTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class))
		.withPropertyValues("c2m.client-id=client-1");

	private static ApplicationContextRunner withEnvironment(ApplicationContextRunner runner,
			Map<String, Object> variables) {
		// the name Spring Boot gives the environment's source, so that its variables are
		// mapped as such
		return runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource("test-systemEnvironment", variables)));
	}

	@Test
	void theFirstLookFindsOnlyPropertiesTheStarterNamesExactly() {
		String own = C2MPropertiesMetadata.ownPropertiesText();
		assertThat(own).isNotEmpty();
		assertThat(C2MPropertiesMetadata.namesProperty(own, ConfigurationPropertyName.of("c2m.auth.client-secret")))
			.isTrue();
		assertThat(C2MPropertiesMetadata.namesProperty(own, ConfigurationPropertyName.of("c2m.auth.client-secre")))
			.isFalse();
		// a group is no property: a value for it is left to the full check, which reports
		// it
		assertThat(C2MPropertiesMetadata.namesProperty(own, ConfigurationPropertyName.of("c2m.auth"))).isFalse();
		assertThat(
				C2MPropertiesMetadata.namesProperty(own, ConfigurationPropertyName.of("c2m.auth.short-term.scopes[0]")))
			.isFalse();
		this.runner.withPropertyValues("c2m.auth=s3cret").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("'c2m.auth': is not a known property");
		});
	}

	@Test
	void everyRelaxedFormOfAKnownKeyIsAccepted() {
		this.runner
			.withPropertyValues("c2m.auth.clientSecret=s3cret", "c2m.auth.short_term.scopes[0]=jobs:submit",
					"c2m.auth.long-term.scopes[1]=tokens:write", "c2m.auth.long-term.scopes[0]=jobs:submit",
					"c2m.auth.store.previous-encryption-keys.old=b2xk", "c2m.HTTP.Connect-Timeout=3s",
					"c2m.strict-properties=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(C2MConnectionDetails.class).getCredential())
					.isInstanceOf(C2MCredential.ClientSecret.class);
				assertThat(context.getBean(C2MTokenManager.class).getDefaultScopes()).containsExactly("jobs:submit");
			});
	}

	@Test
	void environmentVariablesBindingAKnownKeyAreAccepted() {
		withEnvironment(this.runner,
				Map.of("C2M_AUTH_CLIENTSECRET", "s3cret", "C2M_AUTH_SHORTTERM_SCOPES_0_", "jobs:submit"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(C2MTokenManager.class).getDefaultScopes()).containsExactly("jobs:submit");
			});
	}

	@Test
	void environmentVariablesNamedLikeAPropertyOrOutsideItsGroupsAreLeftAlone() {
		// placeholders' variables, as in README's quick start and the sample's
		// application.yml
		withEnvironment(this.runner.withPropertyValues("c2m.auth.client-secret=${C2M_CLIENT_SECRET}"),
				Map.of("C2M_CLIENT_SECRET", "s3cret", "C2M_STORE_KEY", "k", "C2M_TEST_POSTGRES_URL", "jdbc:x",
						"C2M_AUTH_SHORT_TERM_REFRESH_AT", "0.4"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// the legacy form, with the dashes as underscores, binds too
				assertThat(context.getBean(C2MTokenManager.class).getPolicy().refreshAt()).isEqualTo(0.4);
			});
	}

	@Test
	void misspeltEnvironmentVariableIsWarnedAboutWithTheClosestKey(CapturedOutput output) {
		// the environment is shared with other software (Kubernetes names variables after
		// services),
		// so a variable that binds nothing is worth a warning, never a refused startup
		withEnvironment(this.runner.withPropertyValues("c2m.auth.client-secret=s3cret"),
				Map.of("C2M_AUTH_CLIENTSECRT", "s3cret-value"))
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getAll()).contains("WARN")
			.contains("c2m.auth.clientsecrt")
			.contains("C2M_AUTH_CLIENTSECRT")
			.contains("closest known one is c2m.auth.client-secret")
			.doesNotContain("s3cret-value");
	}

	@Test
	void kubernetesServiceLinkVariablesAreNotReported(CapturedOutput output) {
		// what Kubernetes injects for Services named c2m-auth and c2m-http
		withEnvironment(this.runner.withPropertyValues("c2m.auth.client-secret=s3cret"),
				Map.of("C2M_AUTH_SERVICE_HOST", "10.0.0.7", "C2M_AUTH_SERVICE_PORT", "8080", "C2M_AUTH_PORT",
						"tcp://10.0.0.7:8080", "C2M_AUTH_PORT_8080_TCP_ADDR", "10.0.0.7", "C2M_HTTP_SERVICE_HOST",
						"10.0.0.8"))
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getAll()).doesNotContain("Unknown Click2Mail properties");
	}

	@Test
	void aValueThatOnlyLooksLikeAPlaceholderIsNoPlaceholder() {
		// not closed, or escaped: Spring takes both as they are, so neither is an
		// unresolved placeholder
		this.runner.withPropertyValues("c2m.auth.client-secret=abc${defghij")
			.run((context) -> assertThat(context).hasNotFailed());
		this.runner.withPropertyValues("c2m.auth.client-secret=abc\\${C2M_TEST_UNSET}")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void onlyTheVariableNameOfAnUnresolvedPlaceholderIsShown() {
		this.runner.withPropertyValues("c2m.auth.client-secret=Xk9q${C2M_TEST_UNSET}Tq7Lm").run((context) -> {
			FailureAnalysis analysis = new C2MConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("${C2M_TEST_UNSET}")
				.doesNotContain("Xk9q")
				.doesNotContain("Tq7Lm");
		});
	}

	@Test
	void everyUnknownKeyIsListed() {
		this.runner
			.withPropertyValues("c2m.auth.client-secret=s3cret", "c2m.auth.short-term.scope=jobs:submit",
					"c2m.http.read-timout=5s")
			.run((context) -> {
				FailureAnalysis analysis = new C2MConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("c2m.auth.short-term.scope")
					.contains("c2m.auth.short-term.scopes")
					.contains("c2m.http.read-timout")
					.contains("c2m.http.read-timeout");
			});
	}

	@Test
	void notStrictOnlyWarns(CapturedOutput output) {
		this.runner
			.withPropertyValues("c2m.strict-properties=false", "c2m.auth.client-secret=s3cret",
					"c2m.auth.short-term.scope=jobs:submit")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(C2MTokenManager.class).getDefaultScopes()).isEmpty();
			});
		assertThat(output.getAll()).contains("WARN")
			.contains("c2m.auth.short-term.scope")
			.contains("closest known one is c2m.auth.short-term.scopes");
	}

	@Test
	void unresolvedPlaceholderIsNotStrictnessBound() {
		this.runner.withPropertyValues("c2m.strict-properties=false", "c2m.auth.client-secret=${C2M_TEST_UNSET}")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void resolvedPlaceholderIsFine() {
		this.runner.withPropertyValues("c2m.auth.client-secret=${test.secret}", "test.secret=s3cret")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void theMisspeltKeyIsTheFirstThingARealStartupReports(CapturedOutput output) {
		// the TTL is wrong too, but a misspelt key is reported before any bean is made
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
				.properties("spring.main.banner-mode=off", "c2m.client-id=c", "c2m.auth.client-secrt=s3cret-value",
						"c2m.auth.long-term.ttl=120d")
				.run());
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("Invalid Click2Mail configuration 'c2m.auth.client-secrt'")
			.contains("c2m.auth.client-secret")
			.doesNotContain("c2m.auth.long-term.ttl")
			.doesNotContain("s3cret-value");
	}

	@Test
	void anUnsetVariableIsReportedByNameOnARealStartup(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
				.properties("spring.main.banner-mode=off", "c2m.client-id=c",
						"c2m.auth.client-secret=s3cret-value${C2M_TEST_UNSET_PART}")
				.run());
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("'c2m.auth.client-secret'")
			.contains("C2M_TEST_UNSET_PART")
			.doesNotContain("s3cret-value");
	}

	@Test
	void anApplicationsOwnPropertiesUnderC2mAreKnown() {
		this.runner.withUserConfiguration(LetterSettings.class)
			.withPropertyValues("c2m.auth.client-secret=s3cret", "c2m.letters.sender=Ada")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(LetterProperties.class).getSender()).isEqualTo("Ada");
			});
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(LetterProperties.class)
	static class LetterSettings {

	}

	/**
	 * Its accessors are not public, so the configuration processor describes no property
	 * of it: the keys under its prefix are known from the bean definition.
	 */
	@ConfigurationProperties("c2m.letters")
	static class LetterProperties {

		private String sender;

		String getSender() {
			return this.sender;
		}

		void setSender(String sender) {
			this.sender = sender;
		}

	}

}
