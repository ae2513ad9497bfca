package io.github.c2mspring.emulator;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A token in the emulator's registry: immutable but for its revocation.
 */
final class Token {

	final String id;

	final TokenKind kind;

	final String value;

	final String clientId;

	final List<String> scopes;

	final Instant issuedAt;

	final Instant expiresAt;

	final String mechanism;

	final @Nullable String parentId;

	private volatile boolean revoked;

	Token(String id, TokenKind kind, String value, String clientId, List<String> scopes, Instant issuedAt,
			Instant expiresAt, String mechanism, @Nullable String parentId) {
		this.id = id;
		this.kind = kind;
		this.value = value;
		this.clientId = clientId;
		this.scopes = List.copyOf(scopes);
		this.issuedAt = issuedAt;
		this.expiresAt = expiresAt;
		this.mechanism = mechanism;
		this.parentId = parentId;
	}

	void revoke() {
		this.revoked = true;
	}

	boolean isRevoked() {
		return this.revoked;
	}

	/**
	 * Whether the token can be used at an instant: not revoked and not expired.
	 * @param now the instant
	 * @return whether it is valid
	 */
	boolean isValidAt(Instant now) {
		return !this.revoked && now.isBefore(this.expiresAt);
	}

	IssuedToken snapshot() {
		return new IssuedToken(this.id, this.kind, this.value, this.clientId, this.scopes, this.issuedAt,
				this.expiresAt, this.revoked, this.mechanism, this.parentId);
	}

	@Override
	public String toString() {
		return "Token[" + this.id + ", value masked]";
	}

}
