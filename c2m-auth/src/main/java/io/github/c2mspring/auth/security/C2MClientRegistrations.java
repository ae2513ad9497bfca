package io.github.c2mspring.auth.security;

import java.util.Collection;

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
		Assert.hasText(baseUrl, "baseUrl must not be empty");
		Assert.hasText(clientId, "clientId must not be empty");
		String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		return ClientRegistration.withRegistrationId(REGISTRATION_ID)
			.clientName("Click2Mail")
			.clientId(clientId)
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(C2MAuthorizationGrantType.LONG_TERM_TOKEN_EXCHANGE)
			.tokenUri(base + "/auth/tokens/short")
			.scope(scopes)
			.build();
	}

}
