package io.github.c2mspring.autoconfigure;

import java.util.List;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.emulator.C2MEmulator;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Startup: nothing that can wait for the first call is built when the context starts, yet
 * a bad setting of what is built later still fails the startup.
 */
class LazyStartupTests {

	private static final List<String> BUILT_AT_FIRST_USE = List.of("c2mAuthClient", "c2mLongTermTokenSource",
			"c2mTokenManager", "c2mAuthOperations", "c2mStoreScheduler", "c2mTokenEventPublisher", "c2mWebClient",
			"c2mRestClient", "c2mAuthorizedClientManager", "c2mReactiveAuthorizedClientManager");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class,
				C2MOAuth2ClientAutoConfiguration.class))
		.withPropertyValues("c2m.client-id=client-1", "c2m.auth.client-secret=secret-1",
				"c2m.auth.short-term.scopes=jobs:submit");

	@Test
	void theClientsAndTheTokenManagerAreBuiltAtTheirFirstUseAndThenLookedAfter() {
		try (C2MEmulator emulator = C2MEmulator.builder().start()) {
			emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
			this.runner.withPropertyValues("c2m.base-url=" + emulator.baseUrl()).run((context) -> {
				assertThat(context).hasNotFailed();
				ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
				assertThat(BUILT_AT_FIRST_USE).allSatisfy((name) -> {
					assertThat(beanFactory.containsBeanDefinition(name)).as(name).isTrue();
					assertThat(beanFactory.containsSingleton(name)).as(name).isFalse();
				});
				assertThat(context.getBean(C2MCreatedTokenManagers.class).get()).isEmpty();
				assertThat(emulator.requests()).isEmpty();

				assertThat(context.getBean(C2MAuthOperations.class).getAccessToken()).isNotBlank();
				assertThat(beanFactory.containsSingleton("c2mTokenManager")).isTrue();
				assertThat(context.getBean(C2MCreatedTokenManagers.class).get())
					.containsExactly(context.getBean(C2MTokenManager.class));
				assertThat(beanFactory.getDependentBeans("c2mTokenManager")).contains("c2mLongTermTokenChecker");
			});
		}
	}

	@Test
	void aBadSettingOfABeanBuiltLaterStillFailsTheStartupNamingTheBean() {
		this.runner.withPropertyValues("c2m.http.call-timeout=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(BeanCreationException.class)
				.hasMessageContaining("c2mAuthClient")
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("c2m.http.call-timeout");
		});
	}

	@Test
	void theSettingsOfABeanTheApplicationReplacedAreNotChecked() {
		this.runner.withConfiguration(AutoConfigurations.of(C2MAutoConfiguration.class))
			.withPropertyValues("c2m.http.call-timeout=0s")
			.withBean("ownAuthClient", C2MAuthClient.class,
					() -> C2MAuthClient.builder(WebClient.create("http://127.0.0.1:9/v2")).build())
			.withClassLoader(new FilteredClassLoader("org.springframework.security.oauth2.client"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(C2MAuthClient.class);
				assertThat(context).doesNotHaveBean("c2mAuthClient");
			});
	}

}
