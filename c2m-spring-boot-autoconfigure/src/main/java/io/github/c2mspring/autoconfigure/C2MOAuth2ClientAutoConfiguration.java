package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.auth.security.C2MClientRegistrations;
import io.github.c2mspring.auth.token.C2MTokenManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The Click2Mail exchange through Spring Security's OAuth2 client: an
 * {@link OAuth2AuthorizedClientManager} and a
 * {@link ReactiveOAuth2AuthorizedClientManager} for the registration
 * {@value C2MClientRegistrations#REGISTRATION_ID} and the {@code c2m-<name>} registration
 * of every account of {@code c2m.clients}, and the {@code c2mWebClient} and
 * {@code c2mRestClient} that put a valid short-term token on every request (those of the
 * named accounts come from {@link C2MClients}).
 * <p>
 * Coexistence with the application's own OAuth2 client setup: these beans are registered
 * with {@code defaultCandidate = false}, so they are injected only by name or qualifier
 * (for example {@code @Qualifier("c2mWebClient")}), never into an unqualified injection
 * point, and the registration lives in the managers' own repository, not in the
 * application's {@code ClientRegistrationRepository}. Spring Security's own default
 * manager, which it registers only when an application has none, is kept by
 * {@link SpringSecurityDefaultManagerRegistrar}.
 * <p>
 * Startup: the two managers are lazy (Spring Security's managers build a default provider
 * with its own HTTP client when created), and the clients build their HTTP connectors at
 * their first request; everything they are built from is checked when the context starts.
 */
@AutoConfiguration(after = C2MAutoConfiguration.class,
		afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnClass(OAuth2AuthorizedClientManager.class)
@ConditionalOnBean(C2MTokenManager.class)
public final class C2MOAuth2ClientAutoConfiguration {

	/** The name of the imperative manager bean. */
	public static final String AUTHORIZED_CLIENT_MANAGER_BEAN_NAME = "c2mAuthorizedClientManager";

	/** The name of the reactive manager bean. */
	public static final String REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME = "c2mReactiveAuthorizedClientManager";

	/** The name of the {@code WebClient} bean. */
	public static final String WEB_CLIENT_BEAN_NAME = "c2mWebClient";

	/** The name of the {@code RestClient} bean. */
	public static final String REST_CLIENT_BEAN_NAME = "c2mRestClient";

	@Bean
	static SpringSecurityDefaultManagerRegistrar c2mSpringSecurityDefaultManagerRegistrar() {
		return new SpringSecurityDefaultManagerRegistrar();
	}

	@Bean(name = AUTHORIZED_CLIENT_MANAGER_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = AUTHORIZED_CLIENT_MANAGER_BEAN_NAME)
	@Lazy
	OAuth2AuthorizedClientManager c2mAuthorizedClientManager(C2MConnectionDetails connectionDetails,
			C2MTokenManager tokenManager, C2MProperties properties, ObjectProvider<C2MClients> clients) {
		return C2MSecurityClients
			.manager(C2MSecurityClients.accounts(connectionDetails, tokenManager, properties, clients));
	}

	@Bean(name = REST_CLIENT_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = REST_CLIENT_BEAN_NAME)
	@Lazy
	RestClient c2mRestClient(C2MConnectionDetails connectionDetails, C2MTokenManager tokenManager,
			C2MProperties properties, ObjectProvider<RestClient.Builder> restClientBuilder,
			ObjectProvider<SslBundles> sslBundles,
			@Qualifier(AUTHORIZED_CLIENT_MANAGER_BEAN_NAME) ObjectProvider<OAuth2AuthorizedClientManager> authorizedClientManager) {
		return C2MSecurityClients.restClient(C2MClientRegistrations.REGISTRATION_ID, connectionDetails, tokenManager,
				properties, restClientBuilder, sslBundles.getIfAvailable(), authorizedClientManager);
	}

	/**
	 * The reactive manager and the {@code c2mWebClient}, and the HTTP clients of the
	 * named accounts.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ReactiveOAuth2AuthorizedClientManager.class, WebClient.class })
	static class ReactiveConfiguration {

		@Bean(name = REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME, defaultCandidate = false)
		@ConditionalOnMissingBean(name = REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME)
		@Lazy
		ReactiveOAuth2AuthorizedClientManager c2mReactiveAuthorizedClientManager(C2MConnectionDetails connectionDetails,
				C2MTokenManager tokenManager, C2MProperties properties, ObjectProvider<C2MClients> clients) {
			return C2MSecurityClients
				.reactiveManager(C2MSecurityClients.accounts(connectionDetails, tokenManager, properties, clients));
		}

		@Bean(name = WEB_CLIENT_BEAN_NAME, defaultCandidate = false)
		@ConditionalOnMissingBean(name = WEB_CLIENT_BEAN_NAME)
		@Lazy
		WebClient c2mWebClient(C2MConnectionDetails connectionDetails, C2MTokenManager tokenManager,
				C2MProperties properties, ObjectProvider<WebClient.Builder> webClientBuilder,
				ObjectProvider<SslBundles> sslBundles,
				@Qualifier(REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME) ObjectProvider<ReactiveOAuth2AuthorizedClientManager> authorizedClientManager) {
			return C2MSecurityClients.webClient(C2MClientRegistrations.REGISTRATION_ID, connectionDetails, tokenManager,
					properties, webClientBuilder, sslBundles.getIfAvailable(), authorizedClientManager);
		}

		/**
		 * The {@link WebClient} and {@link RestClient} of each account of
		 * {@link C2MClients}, on the same two managers.
		 * @return the clients' factory
		 */
		@Bean
		@Lazy
		C2MClients.C2MClientHttpClients c2mClientHttpClients(ObjectProvider<C2MClients> clients,
				@Qualifier(WEB_CLIENT_BEAN_NAME) ObjectProvider<WebClient> webClient,
				@Qualifier(REST_CLIENT_BEAN_NAME) ObjectProvider<RestClient> restClient,
				ObjectProvider<WebClient.Builder> webClientBuilder,
				ObjectProvider<RestClient.Builder> restClientBuilder, ObjectProvider<SslBundles> sslBundles,
				@Qualifier(REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME) ObjectProvider<ReactiveOAuth2AuthorizedClientManager> reactiveManager,
				@Qualifier(AUTHORIZED_CLIENT_MANAGER_BEAN_NAME) ObjectProvider<OAuth2AuthorizedClientManager> manager) {
			return new C2MNamedHttpClients(clients, webClient, restClient,
					(all, name) -> C2MSecurityClients.webClient(all.getRegistrationId(name),
							all.connectionDetails(name), all.getTokenManager(name), all.properties(name),
							webClientBuilder, sslBundles.getIfAvailable(), reactiveManager),
					(all, name) -> C2MSecurityClients.restClient(all.getRegistrationId(name),
							all.connectionDetails(name), all.getTokenManager(name), all.properties(name),
							restClientBuilder, sslBundles.getIfAvailable(), manager));
		}

	}

}
