package io.github.c2mspring.auth.security;

import java.util.Collection;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.util.Assert;

/**
 * The {@link ClientRegistration} that names the Click2Mail exchange to Spring Security.
 */
public final class C2MClientRegistrations {

	/**
	 * The registration id used by the starter's managers, exchange filter and
	 * interceptor.
	 */
	public static final String REGISTRATION_ID = "c2m";

	private C2MClientRegistrations() {
	}

	/**
	 * The registration of the exchange.
	 * @param baseUrl the API's base URL, such as {@code https://api.click2mail.com/v2}
	 * @param clientId the client id
	 * @param scopes the default short-term scopes (empty for the long-term token's own)
	 * @return the registration
	 */
	public static ClientRegistration c2m(String baseUrl, String clientId, Collection<String> scopes) {
		return of(REGISTRATION_ID, baseUrl, clientId, scopes);
	}

	/**
	 * The registration id of a named account: {@value #REGISTRATION_ID} for the default
	 * one, {@code c2m-<name>} for the others.
	 * @param name the name of the account, {@code null} for the default one
	 * @return the registration id
	 */
	public static String registrationId(@Nullable String name) {
		return (name != null) ? REGISTRATION_ID + "-" + name : REGISTRATION_ID;
	}

	/**
	 * The registration of the exchange of an account.
	 * @param registrationId the registration id (see {@link #registrationId(String)})
	 * @param baseUrl the API's base URL, such as {@code https://api.click2mail.com/v2}
	 * @param clientId the client id
	 * @param scopes the default short-term scopes (empty for the long-term token's own)
	 * @return the registration
	 */
	public static ClientRegistration of(String registrationId, String baseUrl, String clientId,
			Collection<String> scopes) {
		Assert.hasText(registrationId, "registrationId must not be empty");
		Assert.hasText(baseUrl, "baseUrl must not be empty");
		Assert.hasText(clientId, "clientId must not be empty");
		String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		return ClientRegistration.withRegistrationId(registrationId)
			.clientName("Click2Mail")
			.clientId(clientId)
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(C2MAuthorizationGrantType.LONG_TERM_TOKEN_EXCHANGE)
			.tokenUri(base + "/auth/tokens/short")
			.scope(scopes)
			.build();
	}

}
