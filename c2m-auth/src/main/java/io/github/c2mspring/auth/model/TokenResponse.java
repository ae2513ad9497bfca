package io.github.c2mspring.auth.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the two token responses of the contract share.
 */
public sealed interface TokenResponse permits LongTokenResponse, ShortTokenResponse {

	/**
	 * The token type, {@code Bearer}.
	 * @return the token type, or {@code null} when the server sent none
	 */
	@Nullable String tokenType();

	/**
	 * The token value. Treat it as a secret.
	 * @return the token
	 */
	String accessToken();

	/**
	 * The lifetime in seconds, relative to the moment the server answered.
	 * @return the lifetime
	 */
	Long expiresIn();

	/**
	 * The expiry on the server's clock, as the server wrote it (ISO-8601). Informational
	 * only: the starter computes expiry from {@link #expiresIn()} on its own clock, so an
	 * unreadable or past {@code expires_at} (a server clock that is off) changes nothing.
	 * @return the expiry text, or {@code null}
	 */
	@Nullable String expiresAt();

	/**
	 * The granted scopes.
	 * @return the scopes, possibly empty
	 */
	List<String> scopes();

	/**
	 * The server's identifier of the token (needed to revoke it).
	 * @return the token id, or {@code null}
	 */
	@Nullable String tokenId();

}
