package io.github.c2mspring.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What a long-term and a short-term token have in common: an immutable value whose
 * {@code toString()} never shows the token.
 */
public sealed interface C2MToken permits LongTermToken, ShortTermToken {

	/**
	 * The token value, to send as {@code Authorization: Bearer}. Treat it as a secret.
	 * @return the token value
	 */
	String tokenValue();

	/**
	 * The server's identifier of the token, needed to revoke it.
	 * @return the token id, or {@code null} when unknown
	 */
	@Nullable String tokenId();

	/**
	 * The scopes granted to the token.
	 * @return the scopes, possibly empty when unknown
	 */
	Set<String> scopes();

	/**
	 * When the token was obtained, on the starter's clock.
	 * @return the issue time, or {@code null} when unknown
	 */
	@Nullable Instant issuedAt();

	/**
	 * When the token expires, on the starter's clock: the time the request was sent plus
	 * the {@code expires_in} the server answered.
	 * @return the expiry, or {@code null} when unknown
	 */
	@Nullable Instant expiresAt();

	/**
	 * Whether the token is expired, or expires within {@code skew}, at {@code now}.
	 * @param now the current time
	 * @param skew the margin before expiry from which the token counts as expired
	 * @return whether the token should no longer be used
	 */
	default boolean isExpired(Instant now, Duration skew) {
		Instant expiresAt = expiresAt();
		return expiresAt != null && !now.plus(skew).isBefore(expiresAt);
	}

	/**
	 * The time left before expiry.
	 * @param now the current time
	 * @return the time left (negative once expired), or {@code null} when the expiry is
	 * unknown
	 */
	default @Nullable Duration remaining(Instant now) {
		Instant expiresAt = expiresAt();
		return (expiresAt != null) ? Duration.between(now, expiresAt) : null;
	}

}
