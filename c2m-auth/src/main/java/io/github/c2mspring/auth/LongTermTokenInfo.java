package io.github.c2mspring.auth;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What may be known about the managed long-term token without revealing it: its id,
 * scopes and expiry, and where it came from.
 *
 * @param tokenId the server's identifier, or {@code null} when unknown (a pre-provisioned
 * token)
 * @param scopes the granted scopes, empty when unknown
 * @param issuedAt when it was obtained on the starter's clock, or {@code null} when
 * unknown
 * @param expiresAt when it expires on the starter's clock, or {@code null} when unknown
 * @param source where it came from: {@code client-secret}, {@code otp}, {@code assertion}
 * or {@code long-term-token}
 */
public record LongTermTokenInfo(@Nullable String tokenId, Set<String> scopes, @Nullable Instant issuedAt,
		@Nullable Instant expiresAt, String source) {

	public LongTermTokenInfo {
		scopes = (scopes != null) ? Set.copyOf(scopes) : Set.of();
	}

	/**
	 * Describe a token.
	 * @param token the token
	 * @param source where it came from
	 * @return its description
	 */
	public static LongTermTokenInfo of(LongTermToken token, String source) {
		return new LongTermTokenInfo(token.tokenId(), token.scopes(), token.issuedAt(), token.expiresAt(), source);
	}

}
