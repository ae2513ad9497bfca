package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.auth.security.C2MUnauthorizedRetryInterceptor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.Ordered;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.client.web.client.RequestAttributeClientRegistrationIdResolver;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

/**
 * Configures every {@link RestClient} HTTP service group named after a Click2Mail account
 * ({@code c2m}, {@code c2m-<name>}) as the account's {@code RestClient} is: its base URL
 * (unless {@code spring.http.serviceclient.<group>.base-url} is set), its HTTP settings,
 * a valid short-term token of its own on every request, one retry after a 401, and
 * {@code @ClientRegistrationId} on a method or interface to pick another account. Runs
 * right after Spring Boot's properties configurer.
 */
final class C2MRestClientHttpServiceGroupConfigurer implements RestClientHttpServiceGroupConfigurer {

	/** Right after Spring Boot's {@code spring.http.serviceclient.*} configurer. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	private final C2MHttpServiceGroupAccounts accounts;

	private final ObjectProvider<SslBundles> sslBundles;

	private final ObjectProvider<OAuth2AuthorizedClientManager> authorizedClients;

	C2MRestClientHttpServiceGroupConfigurer(C2MHttpServiceGroupAccounts accounts, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<OAuth2AuthorizedClientManager> authorizedClients) {
		this.accounts = accounts;
		this.sslBundles = sslBundles;
		this.authorizedClients = authorizedClients;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void configureGroups(HttpServiceGroupConfigurer.Groups<RestClient.Builder> groups) {
		this.accounts.configure(groups, this::configure);
	}

	private void configure(RestClient.Builder builder, C2MHttpServiceGroupAccounts.Account account) {
		if (account.baseUrl() != null) {
			builder.baseUrl(account.baseUrl());
		}
		C2MProperties.Http http = account.properties().getHttp();
		builder.requestFactory(
				C2MHttpClients
					.requestFactory(http, this.sslBundles.getIfAvailable(),
							C2MHttpClients.secrets(account.connectionDetails(), http))
					.get());
		OAuth2ClientHttpRequestInterceptor interceptor = new OAuth2ClientHttpRequestInterceptor(
				this.authorizedClients.getObject());
		RequestAttributeClientRegistrationIdResolver fromAnnotation = new RequestAttributeClientRegistrationIdResolver();
		interceptor.setClientRegistrationIdResolver((request) -> {
			String registrationId = fromAnnotation.resolve(request);
			return (registrationId != null) ? registrationId : account.registrationId();
		});
		builder.requestInterceptor(interceptor)
			.requestInterceptor(new C2MUnauthorizedRetryInterceptor(account.tokenManager()));
	}

}
