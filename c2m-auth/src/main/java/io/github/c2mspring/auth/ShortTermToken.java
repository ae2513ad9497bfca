package io.github.c2mspring.auth;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A short-term token (about 15 minutes) that authorizes Click2Mail API calls.
 *
 * @param tokenValue the token value, a secret
 * @param tokenId the server's identifier, or {@code null} when unknown
 * @param scopes the granted scopes
 * @param issuedAt when it was obtained on the starter's clock, or {@code null} when
 * unknown
 * @param expiresAt when it expires on the starter's clock, or {@code null} when unknown
 */
public record ShortTermToken(String tokenValue, @Nullable String tokenId, Set<String> scopes,
		@Nullable Instant issuedAt, @Nullable Instant expiresAt) implements C2MToken {

	public ShortTermToken {
		Assert.hasText(tokenValue, "tokenValue must not be empty");
		scopes = (scopes != null) ? Set.copyOf(scopes) : Set.of();
	}

	@Override
	public String toString() {
		return "ShortTermToken[tokenId=" + this.tokenId + ", scopes=" + this.scopes + ", issuedAt=" + this.issuedAt
				+ ", expiresAt=" + this.expiresAt + ", tokenValue=<masked>]";
	}

}
