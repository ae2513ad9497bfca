package io.github.c2mspring.autoconfigure;

import java.util.function.Supplier;

import io.github.c2mspring.auth.security.C2MAuthorizedClientProvider;
import io.github.c2mspring.auth.security.C2MAuthorizedClientService;
import io.github.c2mspring.auth.security.C2MClientRegistrations;
import io.github.c2mspring.auth.security.C2MReactiveAuthorizedClientProvider;
import io.github.c2mspring.auth.security.C2MReactiveAuthorizedClientService;
import io.github.c2mspring.auth.security.C2MUnauthorizedRetryFilter;
import io.github.c2mspring.auth.security.C2MUnauthorizedRetryInterceptor;
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
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The Click2Mail exchange through Spring Security's OAuth2 client: an
 * {@link OAuth2AuthorizedClientManager} and a
 * {@link ReactiveOAuth2AuthorizedClientManager} for the registration
 * {@value C2MClientRegistrations#REGISTRATION_ID}, and the {@code c2mWebClient} and
 * {@code c2mRestClient} that put a valid short-term token on every request.
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

	static ClientRegistration registration(C2MConnectionDetails connectionDetails, C2MTokenManager tokenManager,
			C2MProperties properties) {
		return C2MClientRegistrations.c2m(registrationBaseUrl(connectionDetails, properties),
				connectionDetails.getClientId(), tokenManager.getDefaultScopes());
	}

	@Bean
	static SpringSecurityDefaultManagerRegistrar c2mSpringSecurityDefaultManagerRegistrar() {
		return new SpringSecurityDefaultManagerRegistrar();
	}

	@Bean(name = AUTHORIZED_CLIENT_MANAGER_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = AUTHORIZED_CLIENT_MANAGER_BEAN_NAME)
	@Lazy
	OAuth2AuthorizedClientManager c2mAuthorizedClientManager(C2MConnectionDetails connectionDetails,
			C2MTokenManager tokenManager, C2MProperties properties) {
		AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
				new InMemoryClientRegistrationRepository(registration(connectionDetails, tokenManager, properties)),
				new C2MAuthorizedClientService(tokenManager));
		manager.setAuthorizedClientProvider(new C2MAuthorizedClientProvider(tokenManager));
		return manager;
	}

	@Bean(name = REST_CLIENT_BEAN_NAME, defaultCandidate = false)
	@ConditionalOnMissingBean(name = REST_CLIENT_BEAN_NAME)
	@Lazy
	RestClient c2mRestClient(C2MConnectionDetails connectionDetails, C2MTokenManager tokenManager,
			C2MProperties properties, ObjectProvider<RestClient.Builder> restClientBuilder,
			ObjectProvider<SslBundles> sslBundles,
			@Qualifier(AUTHORIZED_CLIENT_MANAGER_BEAN_NAME) ObjectProvider<OAuth2AuthorizedClientManager> authorizedClientManager) {
		// the registration is checked now; the manager holding it is created at the first
		// request
		registration(connectionDetails, tokenManager, properties);
		String baseUrl = registrationBaseUrl(connectionDetails, properties);
		Supplier<ClientHttpRequestFactory> requestFactory = C2MHttpClients.requestFactory(properties.getHttp(),
				sslBundles.getIfAvailable(), C2MHttpClients.secrets(connectionDetails, properties.getHttp()));
		return new LazyRestClient(() -> {
			OAuth2ClientHttpRequestInterceptor interceptor = new OAuth2ClientHttpRequestInterceptor(
					authorizedClientManager.getObject());
			interceptor.setClientRegistrationIdResolver((request) -> C2MClientRegistrations.REGISTRATION_ID);
			return restClientBuilder.getIfAvailable(RestClient::builder)
				.baseUrl(baseUrl)
				.requestFactory(requestFactory.get())
				.requestInterceptor(interceptor)
				.requestInterceptor(new C2MUnauthorizedRetryInterceptor(tokenManager))
				.build();
		});
	}

	private static String registrationBaseUrl(C2MConnectionDetails connectionDetails, C2MProperties properties) {
		return C2MSettings.checkBaseUrl(connectionDetails.getBaseUrl(), properties.getHttp().isAllowInsecureBaseUrl());
	}

	/**
	 * The reactive manager and the {@code c2mWebClient}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ReactiveOAuth2AuthorizedClientManager.class, WebClient.class })
	static class ReactiveConfiguration {

		@Bean(name = REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME, defaultCandidate = false)
		@ConditionalOnMissingBean(name = REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME)
		@Lazy
		ReactiveOAuth2AuthorizedClientManager c2mReactiveAuthorizedClientManager(C2MConnectionDetails connectionDetails,
				C2MTokenManager tokenManager, C2MProperties properties) {
			AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(
					new InMemoryReactiveClientRegistrationRepository(
							registration(connectionDetails, tokenManager, properties)),
					new C2MReactiveAuthorizedClientService(tokenManager));
			manager.setAuthorizedClientProvider(new C2MReactiveAuthorizedClientProvider(tokenManager));
			return manager;
		}

		@Bean(name = WEB_CLIENT_BEAN_NAME, defaultCandidate = false)
		@ConditionalOnMissingBean(name = WEB_CLIENT_BEAN_NAME)
		@Lazy
		WebClient c2mWebClient(C2MConnectionDetails connectionDetails, C2MTokenManager tokenManager,
				C2MProperties properties, ObjectProvider<WebClient.Builder> webClientBuilder,
				ObjectProvider<SslBundles> sslBundles,
				@Qualifier(REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME) ObjectProvider<ReactiveOAuth2AuthorizedClientManager> authorizedClientManager) {
			// the registration is checked now; the manager holding it is created at the
			// first request
			registration(connectionDetails, tokenManager, properties);
			String baseUrl = registrationBaseUrl(connectionDetails, properties);
			Supplier<ClientHttpConnector> connector = C2MHttpClients.connector(properties.getHttp(),
					sslBundles.getIfAvailable(), C2MHttpClients.secrets(connectionDetails, properties.getHttp()));
			return new LazyWebClient(() -> {
				ServerOAuth2AuthorizedClientExchangeFilterFunction oauth2 = new ServerOAuth2AuthorizedClientExchangeFilterFunction(
						authorizedClientManager.getObject());
				oauth2.setDefaultClientRegistrationId(C2MClientRegistrations.REGISTRATION_ID);
				return webClientBuilder.getIfAvailable(WebClient::builder)
					.baseUrl(baseUrl)
					.clientConnector(connector.get())
					.filter(oauth2)
					.filter(new C2MUnauthorizedRetryFilter(tokenManager))
					.build();
			});
		}

	}

}
