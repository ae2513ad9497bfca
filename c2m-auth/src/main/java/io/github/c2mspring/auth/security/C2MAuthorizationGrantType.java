package io.github.c2mspring.auth.security;

import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * The grant by which a Click2Mail short-term token is obtained: the exchange of a
 * long-term token at {@code POST /auth/tokens/short}. It is not one of OAuth 2's grants,
 * so it has a name of its own.
 */
public final class C2MAuthorizationGrantType {

	/** The exchange of a long-term token for a short-term one. */
	public static final AuthorizationGrantType LONG_TERM_TOKEN_EXCHANGE = new AuthorizationGrantType(
			"urn:c2m:params:oauth:grant-type:long-term-token-exchange");

	private C2MAuthorizationGrantType() {
	}

}
