package io.github.c2mspring.auth.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.github.c2mspring.auth.LongTermToken;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A {@link LongTermTokenStore} in a relational database (PostgreSQL, H2, MySQL/MariaDB), one row
 * per client id, the token value encrypted by a {@link TokenCipher}. Coordination is the
 * database's own: updates are compare-and-set on the row's version, and the lease is a
 * conditional update of the same row. The schema ships in the jar as
 * {@code io/github/c2mspring/auth/store/schema.sql}.
 */
public final class JdbcLongTermTokenStore implements LongTermTokenStore {

	/** The default table name. */
	public static final String DEFAULT_TABLE = "c2m_long_term_token";

	/** The columns the store reads and writes. */
	public static final List<String> COLUMNS = List.of("token_key", "token_id", "token_value", "scopes",
			"issued_at_ms", "expires_at_ms", "version", "lease_owner", "lease_until_ms", "retired_token_id",
			"retired_revoke_at_ms");

	/** The default longest one call may take. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private final JdbcTemplate jdbc;

	private final TokenCipher cipher;

	private final String table;

	/**
	 * Create a store whose calls take at most {@link #DEFAULT_TIMEOUT} each.
	 * @param dataSource the database
	 * @param cipher how token values are sealed
	 * @param table the table name
	 */
	public JdbcLongTermTokenStore(DataSource dataSource, TokenCipher cipher, String table) {
		this(dataSource, cipher, table, DEFAULT_TIMEOUT);
	}

	/**
	 * Create a store.
	 * @param dataSource the database
	 * @param cipher how token values are sealed
	 * @param table the table name
	 * @param timeout the longest one statement may take (its query timeout, rounded up to whole
	 * seconds) and one read of the database's answer may wait (the connection's network timeout,
	 * which also ends a statement whose cancellation cannot reach the database)
	 */
	public JdbcLongTermTokenStore(DataSource dataSource, TokenCipher cipher, String table, Duration timeout) {
		Assert.notNull(dataSource, "dataSource must not be null");
		Assert.notNull(cipher, "cipher must not be null");
		Assert.isTrue(table != null && table.matches("[A-Za-z_][A-Za-z0-9_.]{0,62}"),
				"table must be a plain SQL identifier");
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		this.jdbc = new JdbcTemplate(new NetworkTimeoutDataSource(dataSource, timeout));
		this.jdbc.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
		this.cipher = cipher;
		this.table = table;
	}

	@Override
	public Optional<StoredToken> load(String key) {
		List<StoredToken> rows = this.jdbc.query("SELECT token_id, token_value, scopes, issued_at_ms, expires_at_ms, "
				+ "version, retired_token_id, retired_revoke_at_ms FROM " + this.table
				+ " WHERE token_key = ? AND token_value IS NOT NULL", (rs, n) -> row(rs), key);
		return rows.stream().findFirst();
	}

	private StoredToken row(ResultSet rs) throws SQLException {
		LongTermToken token = new LongTermToken(this.cipher.decrypt(rs.getString("token_value")),
				rs.getString("token_id"), scopes(rs.getString("scopes")), instant(rs, "issued_at_ms"),
				instant(rs, "expires_at_ms"));
		String retiredId = rs.getString("retired_token_id");
		Instant revokeAt = instant(rs, "retired_revoke_at_ms");
		RetiredToken retired = (retiredId != null && revokeAt != null) ? new RetiredToken(retiredId, revokeAt) : null;
		return new StoredToken(token, retired, rs.getLong("version"));
	}

	@Override
	public boolean compareAndSet(String key, LongTermToken token, RetiredToken retired, long expectedVersion) {
		String sealed = this.cipher.encrypt(token.tokenValue());
		String scopes = String.join(" ", token.scopes());
		String retiredId = (retired != null) ? retired.tokenId() : null;
		Long revokeAt = (retired != null) ? millis(retired.revokeAt()) : null;
		int updated = this.jdbc.update("UPDATE " + this.table + " SET token_id = ?, token_value = ?, scopes = ?, "
				+ "issued_at_ms = ?, expires_at_ms = ?, retired_token_id = ?, retired_revoke_at_ms = ?, "
				+ "version = version + 1 WHERE token_key = ? AND version = ?", token.tokenId(), sealed, scopes,
				millis(token.issuedAt()), millis(token.expiresAt()), retiredId, revokeAt, key, expectedVersion);
		if (updated == 1) {
			return true;
		}
		if (expectedVersion != 0) {
			return false;
		}
		try {
			return this.jdbc.update("INSERT INTO " + this.table + " (token_key, token_id, token_value, scopes, "
					+ "issued_at_ms, expires_at_ms, retired_token_id, retired_revoke_at_ms, version) "
					+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", key, token.tokenId(), sealed, scopes,
					millis(token.issuedAt()), millis(token.expiresAt()), retiredId, revokeAt) == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	@Override
	public boolean tryLease(String key, String owner, Instant now, Instant until) {
		int taken = this.jdbc.update("UPDATE " + this.table + " SET lease_owner = ?, lease_until_ms = ? WHERE "
				+ "token_key = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until_ms <= ?)", owner,
				until.toEpochMilli(), key, owner, now.toEpochMilli());
		if (taken == 1) {
			return true;
		}
		try {
			return this.jdbc.update("INSERT INTO " + this.table + " (token_key, version, lease_owner, lease_until_ms) "
					+ "VALUES (?, 0, ?, ?)", key, owner, until.toEpochMilli()) == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	@Override
	public void releaseLease(String key, String owner) {
		this.jdbc.update("UPDATE " + this.table + " SET lease_owner = NULL, lease_until_ms = NULL WHERE token_key = ? "
				+ "AND lease_owner = ?", key, owner);
	}

	private static Set<String> scopes(String scopes) {
		return StringUtils.hasText(scopes) ? Arrays.stream(scopes.split(" ")).collect(Collectors.toSet()) : Set.of();
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		long millis = rs.getLong(column);
		return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
	}

	private static Long millis(Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

	@Override
	public String toString() {
		return "JdbcLongTermTokenStore[table=" + this.table + ", " + this.cipher + "]";
	}

}
