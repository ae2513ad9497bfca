package io.github.c2mspring.auth.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The statements of {@link JdbcLongTermTokenStore} on one table, and how a row maps to a
 * {@link StoredToken} and back. The table name is checked by the store to be a plain SQL
 * identifier before it is put in a statement.
 */
final class JdbcTokenRows {

	private final String table;

	JdbcTokenRows(String table) {
		this.table = table;
	}

	String select() {
		return "SELECT token_id, token_value, scopes, "
				+ "issued_at_ms, expires_at_ms, version, retired_token_id, retired_revoke_at_ms FROM " + this.table
				+ " WHERE token_key = ? AND token_value IS NOT NULL";
	}

	/**
	 * The row's value and retired token replaced, its version kept, if the row is still
	 * at the version and holds the value that were read.
	 */
	String rewrite() {
		return "UPDATE " + this.table + " SET token_value = ?, retired_token_id = ?, retired_revoke_at_ms = ? "
				+ "WHERE token_key = ? AND version = ? AND token_value = ?";
	}

	String compareAndSet() {
		return "UPDATE " + this.table + " SET token_id = ?, token_value = ?, scopes = ?, "
				+ "issued_at_ms = ?, expires_at_ms = ?, retired_token_id = ?, retired_revoke_at_ms = ?, "
				+ "version = version + 1 WHERE token_key = ? AND version = ?";
	}

	String insert() {
		return "INSERT INTO " + this.table + " (token_key, token_id, token_value, scopes, "
				+ "issued_at_ms, expires_at_ms, retired_token_id, retired_revoke_at_ms, version) "
				+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)";
	}

	String tryLease() {
		return "UPDATE " + this.table + " SET lease_owner = ?, lease_until_ms = ? WHERE "
				+ "token_key = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until_ms <= ?)";
	}

	String insertLease() {
		return "INSERT INTO " + this.table + " (token_key, version, lease_owner, lease_until_ms) VALUES (?, 0, ?, ?)";
	}

	String releaseLease() {
		return "UPDATE " + this.table + " SET lease_owner = NULL, lease_until_ms = NULL WHERE token_key = ? "
				+ "AND lease_owner = ?";
	}

	/**
	 * The arguments of {@link #compareAndSet()} without its last two (key and version),
	 * which are those of {@link #insert()} after the key.
	 */
	static @Nullable Object[] columns(LongTermToken token, @Nullable RetiredToken retired) {
		return new Object[] { token.tokenId(), token.tokenValue(), scopes(token), millis(token.issuedAt()),
				millis(token.expiresAt()), (retired != null) ? retired.tokenId() : null,
				(retired != null) ? millis(retired.revokeAt()) : null };
	}

	/**
	 * The scopes column: the scopes in the token's order, which a read gives back.
	 */
	static String scopes(LongTermToken token) {
		return String.join(" ", token.scopes());
	}

	static StoredToken read(ResultSet rs) throws SQLException {
		LongTermToken token = new LongTermToken(rs.getString("token_value"), rs.getString("token_id"),
				scopes(rs.getString("scopes")), instant(rs, "issued_at_ms"), instant(rs, "expires_at_ms"));
		String retiredId = rs.getString("retired_token_id");
		Instant revokeAt = instant(rs, "retired_revoke_at_ms");
		RetiredToken retired = (retiredId != null && revokeAt != null) ? new RetiredToken(retiredId, revokeAt) : null;
		return new StoredToken(token, retired, rs.getLong("version"));
	}

	private static Set<String> scopes(String scopes) {
		return StringUtils.hasText(scopes) ? new LinkedHashSet<>(Arrays.asList(scopes.split(" "))) : Set.of();
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		long millis = rs.getLong(column);
		return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
	}

	static @Nullable Long millis(@Nullable Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

}
