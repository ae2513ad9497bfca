package io.github.c2mspring.auth;

import java.util.Collection;
import java.util.Optional;

import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.model.LongTokenResponse;
import io.github.c2mspring.auth.model.ShortTokenRequest;
import io.github.c2mspring.auth.model.ShortTokenResponse;

/**
 * The Click2Mail v2 auth API as an injectable bean: its three endpoints, typed, and the
 * tokens the starter manages.
 * <p>
 * Every method blocks until the answer comes (a server call within the client's
 * {@linkplain C2MSetting#CALL_TIMEOUT call timeout}, a wait for a managed token within
 * the {@linkplain C2MSetting#BLOCKING_TIMEOUT blocking timeout}), so do not call them on
 * an event-loop thread; reactive code uses the
 * {@code ReactiveOAuth2AuthorizedClientManager} or the {@code c2mWebClient} instead.
 * Every failure is a {@link C2MAuthException}.
 */
public interface C2MAuthOperations {

	/**
	 * {@code POST /auth/tokens/long} with a credential in the body: issue a long-term
	 * token. The token is returned to the caller and not managed by the starter.
	 * @param request a request made with {@link LongTokenRequest#withClientSecret},
	 * {@link LongTokenRequest#withOtp} or {@link LongTokenRequest#withAssertion}
	 * @return the issued token
	 */
	LongTokenResponse issueLongTermToken(LongTokenRequest request);

	/**
	 * {@code POST /auth/tokens/long} authorized by a short-term token with
	 * {@code tokens:write}: rotate, that is issue a new long-term token without a step-up
	 * credential.
	 * @param request a request made with {@link LongTokenRequest#forRotation}
	 * @param shortTermToken the value of a short-term token with {@code tokens:write}
	 * @return the issued token
	 */
	LongTokenResponse rotateLongTermToken(LongTokenRequest request, String shortTermToken);

	/**
	 * {@code POST /auth/tokens/short}: exchange a long-term token for a short-term one.
	 * @param longTermToken the long-term token value
	 * @param request the scopes to narrow to ({@link ShortTokenRequest#defaultScopes()}
	 * for none)
	 * @return the short-term token
	 */
	ShortTokenResponse exchange(String longTermToken, ShortTokenRequest request);

	/**
	 * {@code POST /auth/tokens/{tokenId}/revoke}, authorized by the given token.
	 * Idempotent. A managed token with that id is forgotten, so that the next call
	 * obtains a new one.
	 * @param tokenId the id of the token to revoke
	 * @param bearerToken a long- or short-term token value with {@code tokens:revoke}
	 */
	void revokeToken(String tokenId, String bearerToken);

	/**
	 * Revoke a token by id, authorized by the managed long-term token (which needs
	 * {@code tokens:revoke}). Idempotent. A managed token with that id (short-term of any
	 * scope set, or the long-term token itself) is forgotten, so that the next call
	 * obtains a new one.
	 * @param tokenId the id of the token to revoke
	 */
	void revokeToken(String tokenId);

	/**
	 * The managed short-term token for the default scopes (the scopes the token manager
	 * was built with), obtained if none is held or it is about to expire.
	 * @return a valid short-term token
	 */
	ShortTermToken getShortTermToken();

	/**
	 * The managed short-term token for a scope set, obtained if none is held or it is
	 * about to expire. Each scope set has its own token.
	 * @param scopes the scopes (empty for the default scopes)
	 * @return a valid short-term token
	 */
	ShortTermToken getShortTermToken(Collection<String> scopes);

	/**
	 * The value of the managed short-term token for the default scopes, to send as
	 * {@code Authorization: Bearer}.
	 * @return the access token
	 */
	default String getAccessToken() {
		return getShortTermToken().tokenValue();
	}

	/**
	 * Describe the managed long-term token, obtaining it first if none is held.
	 * @return its id, scopes and expiry, never its value
	 */
	LongTermTokenInfo getLongTermTokenInfo();

	/**
	 * Describe the managed long-term token held now, without obtaining one.
	 * @return its id, scopes and expiry, if one is held
	 */
	Optional<LongTermTokenInfo> currentLongTermTokenInfo();

	/**
	 * The value of the managed long-term token, obtained first if none is held. This is
	 * the only method that reveals it: treat the result as a secret.
	 * @return the long-term token value
	 */
	String revealLongTermTokenValue();

}
