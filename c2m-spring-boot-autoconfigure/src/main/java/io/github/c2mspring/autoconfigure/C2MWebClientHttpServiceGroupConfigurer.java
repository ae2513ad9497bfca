package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.auth.security.C2MUnauthorizedRetryFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

/**
 * Configures every {@link WebClient} HTTP service group named after a Click2Mail account
 * ({@code c2m}, {@code c2m-<name>}) as the account's {@code WebClient} is: its base URL
 * (unless {@code spring.http.serviceclient.<group>.base-url} is set), its HTTP settings,
 * a valid short-term token of its own on every request, one retry after a 401, and
 * {@code @ClientRegistrationId} on a method or interface to pick another account. Runs
 * right after Spring Boot's properties configurer.
 */
final class C2MWebClientHttpServiceGroupConfigurer implements WebClientHttpServiceGroupConfigurer {

	private final C2MHttpServiceGroupAccounts accounts;

	private final ObjectProvider<SslBundles> sslBundles;

	private final ObjectProvider<ReactiveOAuth2AuthorizedClientManager> authorizedClients;

	C2MWebClientHttpServiceGroupConfigurer(C2MHttpServiceGroupAccounts accounts, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<ReactiveOAuth2AuthorizedClientManager> authorizedClients) {
		this.accounts = accounts;
		this.sslBundles = sslBundles;
		this.authorizedClients = authorizedClients;
	}

	@Override
	public int getOrder() {
		return C2MRestClientHttpServiceGroupConfigurer.ORDER;
	}

	@Override
	public void configureGroups(HttpServiceGroupConfigurer.Groups<WebClient.Builder> groups) {
		this.accounts.configure(groups, this::configure);
	}

	private void configure(WebClient.Builder builder, C2MHttpServiceGroupAccounts.Account account) {
		if (account.baseUrl() != null) {
			builder.baseUrl(account.baseUrl());
		}
		C2MProperties.Http http = account.properties().getHttp();
		builder.clientConnector(
				C2MHttpClients
					.connector(http, this.sslBundles.getIfAvailable(),
							C2MHttpClients.secrets(account.connectionDetails(), http))
					.get());
		ServerOAuth2AuthorizedClientExchangeFilterFunction oauth2 = new ServerOAuth2AuthorizedClientExchangeFilterFunction(
				this.authorizedClients.getObject());
		// a @ClientRegistrationId's attribute wins over the group's own account
		oauth2.setDefaultClientRegistrationId(account.registrationId());
		builder.filter(oauth2).filter(new C2MUnauthorizedRetryFilter(account.tokenManager()));
	}

}
