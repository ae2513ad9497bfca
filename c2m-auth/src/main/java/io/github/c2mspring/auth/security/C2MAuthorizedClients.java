package io.github.c2mspring.auth.security;

import io.github.c2mspring.auth.ShortTermToken;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * What the imperative and the reactive provider share: reading the requested scopes and
 * turning a short-term token into an {@link OAuth2AuthorizedClient}.
 */
final class C2MAuthorizedClients {

	private C2MAuthorizedClients() {
	}

	/**
	 * Whether a provider serves the registration of a context.
	 * @param context the context
	 * @param registrationId the registration the provider serves, {@code null} for any of
	 * the exchange
	 * @return whether it does
	 */
	static boolean supports(OAuth2AuthorizationContext context, @Nullable String registrationId) {
		ClientRegistration registration = context.getClientRegistration();
		return C2MAuthorizationGrantType.LONG_TERM_TOKEN_EXCHANGE.equals(registration.getAuthorizationGrantType())
				&& (registrationId == null || registrationId.equals(registration.getRegistrationId()));
	}

	static OAuth2AuthorizedClient authorizedClient(ClientRegistration registration, String principalName,
			ShortTermToken token) {
		OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token.tokenValue(),
				token.issuedAt(), token.expiresAt(), token.scopes());
		return new OAuth2AuthorizedClient(registration, principalName, accessToken);
	}

}
