package io.github.c2mspring.emulator;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A token the emulator issued, as it stands.
 *
 * @param id the token id ({@code tok_lt_...} or {@code tok_st_...})
 * @param kind long- or short-term
 * @param value the token value (a secret: never printed by {@link #toString()})
 * @param clientId the client it was issued to
 * @param scopes its scopes
 * @param issuedAt when it was issued, on the emulator's clock
 * @param expiresAt when it expires, on the emulator's clock
 * @param revoked whether it was revoked
 * @param mechanism how it was obtained: {@code client_secret}, {@code otp},
 * {@code assertion}, {@code rotation} or {@code exchange}
 * @param parentId for a short-term token (or a rotated long-term token), the long-term
 * token it came from
 */
public record IssuedToken(String id, TokenKind kind, String value, String clientId, List<String> scopes,
		Instant issuedAt, Instant expiresAt, boolean revoked, String mechanism, @Nullable String parentId) {

	@Override
	public String toString() {
		return "IssuedToken[id=" + this.id + ", kind=" + this.kind + ", clientId=" + this.clientId + ", scopes="
				+ this.scopes + ", issuedAt=" + this.issuedAt + ", expiresAt=" + this.expiresAt + ", revoked="
				+ this.revoked + ", mechanism=" + this.mechanism + ", parentId=" + this.parentId + ", value=<masked>]";
	}

}
