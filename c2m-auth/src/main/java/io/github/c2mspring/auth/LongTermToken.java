package io.github.c2mspring.auth;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A long-term token (30 to 90 days), from which short-term tokens are exchanged.
 *
 * @param tokenValue the token value, a secret
 * @param tokenId the server's identifier, or {@code null} when unknown
 * @param scopes the granted scopes, kept in the order given
 * @param issuedAt when it was obtained on the starter's clock, or {@code null} when
 * unknown
 * @param expiresAt when it expires on the starter's clock, or {@code null} when unknown
 */
public record LongTermToken(String tokenValue, @Nullable String tokenId, Set<String> scopes, @Nullable Instant issuedAt,
		@Nullable Instant expiresAt) implements C2MToken {

	public LongTermToken {
		Assert.hasText(tokenValue, "tokenValue must not be empty");
		// in the order given: a store writes them in that order and reads them back in
		// the order written, which the sealing of the token value is bound to
		scopes = (scopes != null) ? Collections.unmodifiableSet(new LinkedHashSet<>(List.copyOf(scopes))) : Set.of();
	}

	@Override
	public String toString() {
		return "LongTermToken[tokenId=" + this.tokenId + ", scopes=" + this.scopes + ", issuedAt=" + this.issuedAt
				+ ", expiresAt=" + this.expiresAt + ", tokenValue=<masked>]";
	}

}
