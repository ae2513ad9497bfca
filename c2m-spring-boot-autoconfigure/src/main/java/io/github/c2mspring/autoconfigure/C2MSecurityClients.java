package io.github.c2mspring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.c2mspring.auth.security.C2MAuthorizedClientProvider;
import io.github.c2mspring.auth.security.C2MAuthorizedClientService;
import io.github.c2mspring.auth.security.C2MClientRegistrations;
import io.github.c2mspring.auth.security.C2MReactiveAuthorizedClientProvider;
import io.github.c2mspring.auth.security.C2MReactiveAuthorizedClientService;
import io.github.c2mspring.auth.security.C2MUnauthorizedRetryFilter;
import io.github.c2mspring.auth.security.C2MUnauthorizedRetryInterceptor;
import io.github.c2mspring.auth.token.C2MTokenManager;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.DelegatingOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.DelegatingReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The Spring Security side of every account: one registration per account ({@code c2m},
 * {@code c2m-<name>}) in the managers' own repository, a provider per account that asks
 * that account's token manager, and each account's {@link WebClient} and
 * {@link RestClient} on the managers.
 */
final class C2MSecurityClients {

	private C2MSecurityClients() {
	}

	/**
	 * The accounts the managers serve: the default one, and those of {@code c2m.clients}.
	 */
	static List<Account> accounts(C2MConnectionDetails connectionDetails, C2MTokenManager tokenManager,
			C2MProperties properties, ObjectProvider<C2MClients> clients) {
		List<Account> accounts = new ArrayList<>();
		accounts.add(new Account(C2MClientRegistrations.REGISTRATION_ID,
				registration(C2MClientRegistrations.REGISTRATION_ID, connectionDetails, tokenManager, properties),
				tokenManager));
		if (!properties.getClients().isEmpty()) {
			C2MClients all = clients.getObject();
			for (String name : all.getNames()) {
				if (!C2MClients.DEFAULT.equals(name)) {
					String registrationId = all.getRegistrationId(name);
					C2MTokenManager manager = all.getTokenManager(name);
					accounts.add(new Account(registrationId,
							registration(registrationId, all.connectionDetails(name), manager, all.properties(name)),
							manager));
				}
			}
		}
		return accounts;
	}

	static ClientRegistration registration(String registrationId, C2MConnectionDetails connectionDetails,
			C2MTokenManager tokenManager, C2MProperties properties) {
		return C2MClientRegistrations.of(registrationId, baseUrl(connectionDetails, properties),
				connectionDetails.getClientId(), tokenManager.getDefaultScopes());
	}

	static String baseUrl(C2MConnectionDetails connectionDetails, C2MProperties properties) {
		return C2MSettings.checkBaseUrl(connectionDetails.getBaseUrl(), properties.getHttp().isAllowInsecureBaseUrl());
	}

	static OAuth2AuthorizedClientManager manager(List<Account> accounts) {
		AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
				new InMemoryClientRegistrationRepository(registrations(accounts)),
				new C2MAuthorizedClientService(tokenManagers(accounts)));
		if (accounts.size() == 1) {
			manager.setAuthorizedClientProvider(new C2MAuthorizedClientProvider(accounts.get(0).tokenManager()));
		}
		else {
			List<OAuth2AuthorizedClientProvider> providers = new ArrayList<>();
			for (Account account : accounts) {
				providers.add(new C2MAuthorizedClientProvider(account.registrationId(), account.tokenManager()));
			}
			manager.setAuthorizedClientProvider(new DelegatingOAuth2AuthorizedClientProvider(providers));
		}
		return manager;
	}

	static ReactiveOAuth2AuthorizedClientManager reactiveManager(List<Account> accounts) {
		AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(
				new InMemoryReactiveClientRegistrationRepository(registrations(accounts)),
				new C2MReactiveAuthorizedClientService(tokenManagers(accounts)));
		if (accounts.size() == 1) {
			manager
				.setAuthorizedClientProvider(new C2MReactiveAuthorizedClientProvider(accounts.get(0).tokenManager()));
		}
		else {
			List<ReactiveOAuth2AuthorizedClientProvider> providers = new ArrayList<>();
			for (Account account : accounts) {
				providers
					.add(new C2MReactiveAuthorizedClientProvider(account.registrationId(), account.tokenManager()));
			}
			manager.setAuthorizedClientProvider(new DelegatingReactiveOAuth2AuthorizedClientProvider(providers));
		}
		return manager;
	}

	private static List<ClientRegistration> registrations(List<Account> accounts) {
		List<ClientRegistration> registrations = new ArrayList<>();
		for (Account account : accounts) {
			registrations.add(account.registration());
		}
		return registrations;
	}

	private static Map<String, C2MTokenManager> tokenManagers(List<Account> accounts) {
		Map<String, C2MTokenManager> managers = new LinkedHashMap<>();
		for (Account account : accounts) {
			managers.put(account.registrationId(), account.tokenManager());
		}
		return managers;
	}

	/**
	 * An account's {@link WebClient}: its registration is checked now, the manager
	 * holding it is created at the first request, and so is the HTTP connector.
	 */
	static WebClient webClient(String registrationId, C2MConnectionDetails connectionDetails,
			C2MTokenManager tokenManager, C2MProperties properties, ObjectProvider<WebClient.Builder> webClientBuilder,
			@Nullable SslBundles sslBundles, ObjectProvider<ReactiveOAuth2AuthorizedClientManager> authorizedClients) {
		registration(registrationId, connectionDetails, tokenManager, properties);
		String baseUrl = baseUrl(connectionDetails, properties);
		Supplier<ClientHttpConnector> connector = C2MHttpClients.connector(properties.getHttp(), sslBundles,
				C2MHttpClients.secrets(connectionDetails, properties.getHttp()));
		return new LazyWebClient(() -> {
			ServerOAuth2AuthorizedClientExchangeFilterFunction oauth2 = new ServerOAuth2AuthorizedClientExchangeFilterFunction(
					authorizedClients.getObject());
			oauth2.setDefaultClientRegistrationId(registrationId);
			return webClientBuilder.getIfAvailable(WebClient::builder)
				.baseUrl(baseUrl)
				.clientConnector(connector.get())
				.filter(oauth2)
				.filter(new C2MUnauthorizedRetryFilter(tokenManager))
				.build();
		});
	}

	/**
	 * An account's {@link RestClient}: its registration is checked now, the manager
	 * holding it is created at the first request, and so is the request factory.
	 */
	static RestClient restClient(String registrationId, C2MConnectionDetails connectionDetails,
			C2MTokenManager tokenManager, C2MProperties properties,
			ObjectProvider<RestClient.Builder> restClientBuilder, @Nullable SslBundles sslBundles,
			ObjectProvider<OAuth2AuthorizedClientManager> authorizedClients) {
		registration(registrationId, connectionDetails, tokenManager, properties);
		String baseUrl = baseUrl(connectionDetails, properties);
		Supplier<ClientHttpRequestFactory> requestFactory = C2MHttpClients.requestFactory(properties.getHttp(),
				sslBundles, C2MHttpClients.secrets(connectionDetails, properties.getHttp()));
		return new LazyRestClient(() -> {
			OAuth2ClientHttpRequestInterceptor interceptor = new OAuth2ClientHttpRequestInterceptor(
					authorizedClients.getObject());
			interceptor.setClientRegistrationIdResolver((request) -> registrationId);
			return restClientBuilder.getIfAvailable(RestClient::builder)
				.baseUrl(baseUrl)
				.requestFactory(requestFactory.get())
				.requestInterceptor(interceptor)
				.requestInterceptor(new C2MUnauthorizedRetryInterceptor(tokenManager))
				.build();
		});
	}

	/**
	 * One account as the managers see it.
	 *
	 * @param registrationId its registration id
	 * @param registration its registration
	 * @param tokenManager its token manager
	 */
	record Account(String registrationId, ClientRegistration registration, C2MTokenManager tokenManager) {
	}

}
