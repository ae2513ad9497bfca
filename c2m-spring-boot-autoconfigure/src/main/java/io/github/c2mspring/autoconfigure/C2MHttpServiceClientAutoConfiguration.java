package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.auth.token.C2MTokenManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

/**
 * HTTP interface clients of Click2Mail: every HTTP service group registered with
 * {@code @ImportHttpServices} under the name of an account's registration id
 * ({@code c2m}, {@code c2m-<name>}) gets that account's base URL, HTTP settings, managed
 * token and 401 handling, for {@code RestClient} and {@code WebClient} groups alike, and
 * its interfaces may pick another account with {@code @ClientRegistrationId}. Groups of
 * other names are left alone. The configurers are lazy: Spring Framework asks for them
 * when it builds the HTTP service proxies, and an application without any builds none.
 */
@AutoConfiguration(after = C2MOAuth2ClientAutoConfiguration.class,
		afterName = { "org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration",
				"org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration" })
@ConditionalOnClass(OAuth2AuthorizedClientManager.class)
@ConditionalOnBean(C2MTokenManager.class)
public final class C2MHttpServiceClientAutoConfiguration {

	@Bean
	@Lazy
	C2MHttpServiceGroupAccounts c2mHttpServiceGroupAccounts(ObjectProvider<C2MClients> clients,
			C2MConnectionDetails connectionDetails, C2MProperties properties, Environment environment) {
		return new C2MHttpServiceGroupAccounts(clients, connectionDetails, properties, environment);
	}

	/**
	 * The {@code RestClient} groups.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientHttpServiceGroupConfigurer.class)
	static class RestClientGroups {

		@Bean
		@Lazy
		C2MRestClientHttpServiceGroupConfigurer c2mRestClientHttpServiceGroupConfigurer(
				C2MHttpServiceGroupAccounts accounts, ObjectProvider<SslBundles> sslBundles,
				@Qualifier(C2MOAuth2ClientAutoConfiguration.AUTHORIZED_CLIENT_MANAGER_BEAN_NAME) ObjectProvider<OAuth2AuthorizedClientManager> authorizedClients) {
			return new C2MRestClientHttpServiceGroupConfigurer(accounts, sslBundles, authorizedClients);
		}

	}

	/**
	 * The {@code WebClient} groups.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClientHttpServiceGroupConfigurer.class, ReactiveOAuth2AuthorizedClientManager.class })
	static class WebClientGroups {

		@Bean
		@Lazy
		C2MWebClientHttpServiceGroupConfigurer c2mWebClientHttpServiceGroupConfigurer(
				C2MHttpServiceGroupAccounts accounts, ObjectProvider<SslBundles> sslBundles,
				@Qualifier(C2MOAuth2ClientAutoConfiguration.REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME) ObjectProvider<ReactiveOAuth2AuthorizedClientManager> authorizedClients) {
			return new C2MWebClientHttpServiceGroupConfigurer(accounts, sslBundles, authorizedClients);
		}

	}

}
