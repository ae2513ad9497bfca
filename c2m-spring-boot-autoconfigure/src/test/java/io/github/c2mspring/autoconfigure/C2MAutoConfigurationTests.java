package io.github.c2mspring.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import io.github.c2mspring.actuate.C2MHealthIndicator;
import io.github.c2mspring.actuate.C2MTokenMetrics;
import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.CredentialLongTermTokenSource;
import io.github.c2mspring.auth.token.LongTermTokenSource;
import io.github.c2mspring.auth.token.PreProvisionedLongTermTokenSource;
import io.github.c2mspring.testsupport.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Auto-configuration: what it creates, how it backs off, how it reports bad settings.
 */
class C2MAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class,
				C2MOAuth2ClientAutoConfiguration.class, C2MHealthContributorAutoConfiguration.class,
				C2MMetricsAutoConfiguration.class))
		.withPropertyValues("c2m.client-id=client-1");

	@Test
	void createsEveryBeanFromAClientSecret() {
		this.runner.withPropertyValues("c2m.auth.client-secret=s3cret").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(C2MProperties.class);
			assertThat(context).hasSingleBean(PropertiesC2MConnectionDetails.class);
			assertThat(context).hasSingleBean(C2MAuthClient.class);
			assertThat(context).hasSingleBean(C2MTokenManager.class);
			assertThat(context).hasSingleBean(C2MAuthOperations.class);
			assertThat(context).hasSingleBean(C2MHealthIndicator.class);
			assertThat(context).hasSingleBean(C2MTokenMetrics.class);
			assertThat(context.getBean(LongTermTokenSource.class)).isInstanceOf(CredentialLongTermTokenSource.class);
			assertThat(context.getBean(LongTermTokenSource.class).description()).isEqualTo("client-secret");
			assertThat(context.getBean("c2mAuthorizedClientManager")).isInstanceOf(OAuth2AuthorizedClientManager.class);
			assertThat(context.getBean("c2mReactiveAuthorizedClientManager"))
				.isInstanceOf(ReactiveOAuth2AuthorizedClientManager.class);
			assertThat(context.getBean("c2mWebClient")).isInstanceOf(WebClient.class);
			assertThat(context.getBean("c2mRestClient")).isInstanceOf(RestClient.class);
		});
	}

	@Test
	void preProvisionedTokenNeedsNoIssuance() {
		this.runner.withPropertyValues("c2m.auth.long-term-token=lt-abc").run((context) -> {
			assertThat(context.getBean(LongTermTokenSource.class))
				.isInstanceOf(PreProvisionedLongTermTokenSource.class);
			assertThat(context.getBean(C2MConnectionDetails.class).getCredential())
				.isInstanceOf(C2MCredential.PreProvisionedToken.class);
		});
	}

	@Test
	void assertionKeyIsReadWithTheAlgorithmThatFitsIt(@TempDir Path dir) {
		Path rsa = TestKeys.writePem(dir, "rsa.pem", TestKeys.rsa(2048));
		Path ec = TestKeys.writePem(dir, "ec.pem", TestKeys.ec("secp256r1"));
		this.runner.withPropertyValues("c2m.auth.assertion.private-key=file:" + rsa, "c2m.auth.assertion.key-id=k1")
			.run((context) -> assertThat(context.getBean(C2MConnectionDetails.class).getCredential())
				.isInstanceOfSatisfying(C2MCredential.PrivateKeyJwt.class, (jwt) -> {
					assertThat(jwt.algorithm().name()).isEqualTo("RS256");
					assertThat(jwt.keyId()).isEqualTo("k1");
					assertThat(jwt.audience()).isEqualTo(C2MProperties.DEFAULT_BASE_URL);
				}));
		this.runner.withPropertyValues("c2m.auth.assertion.private-key=file:" + ec)
			.run((context) -> assertThat(context.getBean(C2MConnectionDetails.class).getCredential())
				.isInstanceOfSatisfying(C2MCredential.PrivateKeyJwt.class,
						(jwt) -> assertThat(jwt.algorithm().name()).isEqualTo("ES256")));
	}

	@Test
	void disabledCreatesNothing() {
		this.runner.withPropertyValues("c2m.enabled=false", "c2m.auth.client-secret=s3cret").run((context) -> {
			assertThat(context).doesNotHaveBean(C2MTokenManager.class);
			assertThat(context).doesNotHaveBean(C2MAuthOperations.class);
			assertThat(context).doesNotHaveBean("c2mWebClient");
			assertThat(context).doesNotHaveBean(C2MHealthIndicator.class);
		});
	}

	@Test
	void withoutSpringSecurityTheCoreBeansRemain() {
		this.runner.withPropertyValues("c2m.auth.client-secret=s3cret")
			.withClassLoader(new FilteredClassLoader(OAuth2AuthorizedClientManager.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(C2MAuthOperations.class);
				assertThat(context).doesNotHaveBean("c2mWebClient");
				assertThat(context).doesNotHaveBean("c2mAuthorizedClientManager");
			});
	}

	@Test
	void withoutActuatorOrMicrometerTheCoreBeansRemain() {
		this.runner.withPropertyValues("c2m.auth.client-secret=s3cret")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health", "io.micrometer.core"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(C2MAuthOperations.class);
				assertThat(context).doesNotHaveBean(C2MHealthIndicator.class);
				assertThat(context).doesNotHaveBean(C2MTokenMetrics.class);
			});
	}

	@Test
	void healthIndicatorCanBeTurnedOff() {
		this.runner.withPropertyValues("c2m.auth.client-secret=s3cret", "management.health.c2m.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(C2MHealthIndicator.class));
	}

	@Test
	void backsOffFromTheApplicationsOwnBeans() {
		this.runner.withPropertyValues("c2m.auth.client-secret=s3cret")
			.withUserConfiguration(OwnBeans.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(C2MConnectionDetails.class)).isSameAs(OwnBeans.DETAILS);
				assertThat(context).doesNotHaveBean(PropertiesC2MConnectionDetails.class);
				assertThat(context.getBean(C2MAuthOperations.class)).isSameAs(OwnBeans.OPERATIONS);
				assertThat(context.getBean("c2mWebClient")).isSameAs(OwnBeans.WEB_CLIENT);
				assertThat(context.getBean("c2mRestClient")).isSameAs(OwnBeans.REST_CLIENT);
				assertThat(context.getBean("c2mAuthorizedClientManager")).isSameAs(OwnBeans.MANAGER);
				assertThat(context.getBean(C2MHealthIndicator.class)).isSameAs(OwnBeans.HEALTH);
			});
	}

	@Test
	void longTermTokenIsKeptInMemoryByDefaultAndCheckedInTheBackground() {
		this.runner.withPropertyValues("c2m.auth.client-secret=s3cret").run((context) -> {
			assertThat(context).hasSingleBean(InMemoryLongTermTokenStore.class);
			assertThat(context.getBean(C2MTokenManager.class).getLongTermTokenStore())
				.isSameAs(context.getBean(LongTermTokenStore.class));
			assertThat(context.getBean(C2MLongTermTokenChecker.class).isRunning()).isTrue();
		});
	}

	@Test
	void applicationsOwnStoreReplacesEitherKind() {
		LongTermTokenStore own = new InMemoryLongTermTokenStore();
		for (String type : List.of("memory", "jdbc")) {
			this.runner.withPropertyValues("c2m.auth.client-secret=s3cret", "c2m.auth.store.type=" + type)
				.withBean("ownStore", LongTermTokenStore.class, () -> own)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context).hasSingleBean(LongTermTokenStore.class);
					assertThat(context.getBean(C2MTokenManager.class).getLongTermTokenStore()).isSameAs(own);
				});
		}
	}

	@Test
	void withoutSpringJdbcTheMemoryStoreRemainsAndTheJdbcStoreFailsClearly() {
		ApplicationContextRunner withoutJdbc = this.runner.withPropertyValues("c2m.auth.client-secret=s3cret")
			.withClassLoader(new FilteredClassLoader("org.springframework.jdbc"));
		withoutJdbc.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(InMemoryLongTermTokenStore.class);
		});
		assertFailure(withoutJdbc.withPropertyValues("c2m.auth.store.type=jdbc"), "c2m.auth.store.type", "spring-jdbc",
				"spring-boot-starter-jdbc");
	}

	@Test
	void withoutTheJdbcStoreModuleTheJdbcStoreFailsClearly() {
		ApplicationContextRunner withoutJdbcStore = this.runner.withPropertyValues("c2m.auth.client-secret=s3cret")
			.withClassLoader(new FilteredClassLoader("io.github.c2mspring.auth.store.jdbc"));
		withoutJdbcStore.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(InMemoryLongTermTokenStore.class);
		});
		assertFailure(withoutJdbcStore.withPropertyValues("c2m.auth.store.type=jdbc"), "c2m.auth.store.type",
				"c2m-auth-jdbc", "c2m-auth-jdbc");
	}

	@Test
	void preProvisionedTokenIsNotKeptInTheStore() {
		this.runner.withPropertyValues("c2m.auth.long-term-token=lt-abc").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(C2MTokenManager.class).getLongTermTokenStore())
				.isNotSameAs(context.getBean(LongTermTokenStore.class));
		});
	}

	@Test
	void connectionDetailsBeanReplacesTheProperties() {
		this.runner.withUserConfiguration(OwnConnectionDetails.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(LongTermTokenSource.class).description()).isEqualTo("client-secret");
			assertThat(context).doesNotHaveBean(PropertiesC2MConnectionDetails.class);
		});
	}

	@Test
	void clockBeanNamedC2mClockIsUsed() {
		Clock clock = Clock.fixed(java.time.Instant.parse("2030-01-01T00:00:00Z"), java.time.ZoneOffset.UTC);
		this.runner.withPropertyValues("c2m.auth.client-secret=s3cret")
			.withBean(C2MAutoConfiguration.CLOCK_BEAN_NAME, Clock.class, () -> clock)
			.run((context) -> assertThat(context.getBean(C2MTokenManager.class).getClock()).isSameAs(clock));
	}

	@Test
	void noCredentialFailsNamingTheProperties() {
		assertFailure(this.runner, "c2m.auth", "no credential is configured", "c2m.auth.client-secret");
	}

	@Test
	void twoCredentialsFail() {
		this.runner.withPropertyValues("c2m.auth.client-secret=a", "c2m.auth.otp-code=b").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(MutuallyExclusiveConfigurationPropertiesException.class, (ex) -> {
					assertThat(ex.getConfiguredNames()).containsExactlyInAnyOrder("c2m.auth.client-secret",
							"c2m.auth.otp-code");
					assertThat(ex.getMutuallyExclusiveNames()).containsExactlyInAnyOrder("c2m.auth.client-secret",
							"c2m.auth.otp-code", "c2m.auth.assertion.private-key", "c2m.auth.long-term-token");
				});
			FailureAnalysis analysis = StartupFailureAnalysis.analyze(context.getStartupFailure(),
					new StandardEnvironment());
			assertThat(analysis.getDescription()).contains("mutually exclusive")
				.contains("c2m.auth.client-secret, c2m.auth.otp-code are configured together");
			assertThat(analysis.getAction()).contains("Keep exactly one");
		});
	}

	@Test
	void missingClientIdFails() {
		assertFailure(
				new ApplicationContextRunner()
					.withConfiguration(
							AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class))
					.withPropertyValues("c2m.auth.client-secret=s3cret"),
				"c2m.client-id", "no client id", "c2m.client-id");
	}

	@ParameterizedTest
	@ValueSource(strings = { "59m", "91d", "0s" })
	void longTermTtlOutOfRangeFails(String ttl) {
		assertFailure(this.runner.withPropertyValues("c2m.auth.client-secret=s3cret", "c2m.auth.long-term.ttl=" + ttl),
				"c2m.auth.long-term.ttl", "between 1 hour and 90 days", "from 1h to 90d");
	}

	@Test
	void missingKeyFileFails(@TempDir Path dir) {
		assertFailure(
				this.runner.withPropertyValues("c2m.auth.assertion.private-key=file:" + dir.resolve("missing.pem")),
				"c2m.auth.assertion.private-key", "does not exist or cannot be read", "PEM file");
	}

	@Test
	void fileWithoutAKeyFails(@TempDir Path dir) throws Exception {
		Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello");
		assertFailure(this.runner.withPropertyValues("c2m.auth.assertion.private-key=file:" + notAKey),
				"c2m.auth.assertion.private-key", "private key", "PKCS#8");
	}

	@Test
	void keyOfTheWrongTypeFails(@TempDir Path dir) {
		Path ec = TestKeys.writePem(dir, "ec.pem", TestKeys.ec("secp256r1"));
		assertFailure(
				this.runner.withPropertyValues("c2m.auth.assertion.private-key=file:" + ec,
						"c2m.auth.assertion.algorithm=RS256"),
				"c2m.auth.assertion.algorithm", "RS256 needs an RSA private key", "ES256");
	}

	@Test
	void shortRsaKeyFails(@TempDir Path dir) {
		Path rsa = TestKeys.writePem(dir, "rsa1024.pem", TestKeys.rsa(1024));
		assertFailure(
				this.runner.withPropertyValues("c2m.auth.assertion.private-key=file:" + rsa,
						"c2m.auth.assertion.algorithm=RS256"),
				"c2m.auth.assertion.algorithm", "at least 2048 bits", "RS256");
	}

	@Test
	void plainHttpOnAnotherHostFails() {
		assertFailure(
				this.runner.withPropertyValues("c2m.auth.client-secret=s3cret",
						"c2m.base-url=http://api.example.com/v2"),
				"c2m.base-url", "not loopback", "c2m.http.allow-insecure-base-url");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost:8089/v2", "http://127.0.0.1:1/v2", "http://[::1]:8080/v2" })
	void plainHttpOnLoopbackIsAllowed(String url) {
		this.runner.withPropertyValues("c2m.auth.client-secret=s3cret", "c2m.base-url=" + url)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void plainHttpWithExplicitOptInIsAllowed() {
		this.runner
			.withPropertyValues("c2m.auth.client-secret=s3cret", "c2m.base-url=http://c2m.internal/v2",
					"c2m.http.allow-insecure-base-url=true")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void notAUrlFails() {
		assertFailure(this.runner.withPropertyValues("c2m.auth.client-secret=s3cret", "c2m.base-url=ftp:/nowhere"),
				"c2m.base-url", "not an absolute http(s) URL", "https");
	}

	@Test
	void negativeTimeoutFails() {
		assertFailure(this.runner.withPropertyValues("c2m.auth.client-secret=s3cret", "c2m.http.read-timeout=-1s"),
				"c2m.http.read-timeout", "positive", "c2m.http.read-timeout");
	}

	@Test
	void failureNeverShowsTheSecrets() {
		this.runner.withPropertyValues("c2m.auth.client-secret=very-secret-1", "c2m.auth.otp-code=very-secret-2")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = StartupFailureAnalysis.analyze(context.getStartupFailure(),
						new StandardEnvironment());
				assertThat(analysis.getDescription() + analysis.getAction()).contains("c2m.auth.otp-code")
					.doesNotContain("very-secret");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("c2m.auth")
					.satisfies((ex) -> assertThat(stackTrace(ex)).doesNotContain("very-secret"));
			});
	}

	@Test
	void propertiesToStringShowsNoSecret() {
		C2MProperties properties = new C2MProperties();
		properties.getAuth().setClientSecret("very-secret-3");
		assertThat(properties.toString()).doesNotContain("very-secret-3");
		assertThat(properties.getAuth().toString()).doesNotContain("very-secret-3");
	}

	private static String stackTrace(Throwable ex) {
		java.io.StringWriter writer = new java.io.StringWriter();
		ex.printStackTrace(new java.io.PrintWriter(writer));
		return writer.toString();
	}

	private static void assertFailure(ApplicationContextRunner runner, String property, String description,
			String action) {
		runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = StartupFailureAnalysis.analyze(context.getStartupFailure(),
					new StandardEnvironment());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains("'" + property + "'").contains(description);
			if (NestedExceptionUtils
				.getMostSpecificCause(context.getStartupFailure()) instanceof C2MConfigurationException) {
				assertThat(analysis.getAction()).contains(action);
			}
			else {
				// Boot's analysis: the fix is in the reason, the action is Boot's own
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.isInstanceOf(InvalidConfigurationPropertyValueException.class);
				assertThat(analysis.getDescription()).contains(action);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		static final C2MConnectionDetails DETAILS = new C2MConnectionDetails() {

			@Override
			public String getBaseUrl() {
				return "https://c2m.example.com/v2";
			}

			@Override
			public String getClientId() {
				return "own";
			}

			@Override
			public C2MCredential getCredential() {
				return new C2MCredential.ClientSecret("own-secret");
			}

		};

		static final C2MAuthOperations OPERATIONS = mock(C2MAuthOperations.class);

		static final WebClient WEB_CLIENT = WebClient.create();

		static final RestClient REST_CLIENT = RestClient.create();

		static final OAuth2AuthorizedClientManager MANAGER = mock(OAuth2AuthorizedClientManager.class);

		static final C2MHealthIndicator HEALTH = mock(C2MHealthIndicator.class);

		@Bean
		C2MConnectionDetails ownDetails() {
			return DETAILS;
		}

		@Bean
		C2MAuthOperations ownOperations() {
			return OPERATIONS;
		}

		@Bean
		WebClient c2mWebClient() {
			return WEB_CLIENT;
		}

		@Bean
		RestClient c2mRestClient() {
			return REST_CLIENT;
		}

		@Bean
		OAuth2AuthorizedClientManager c2mAuthorizedClientManager() {
			return MANAGER;
		}

		@Bean
		C2MHealthIndicator c2mHealthIndicator() {
			return HEALTH;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConnectionDetails {

		@Bean
		C2MConnectionDetails details() {
			return OwnBeans.DETAILS;
		}

	}

}
