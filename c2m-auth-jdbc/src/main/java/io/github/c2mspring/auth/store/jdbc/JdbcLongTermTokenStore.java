package io.github.c2mspring.auth.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import io.github.c2mspring.auth.store.TokenCipher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A {@link LongTermTokenStore} in a relational database (PostgreSQL, H2, MySQL/MariaDB),
 * one row per client id, the token value encrypted by a {@link TokenCipher}. Coordination
 * is the database's own: updates are compare-and-set on the row's version, and the lease
 * is a conditional update of the same row. Every statement runs in a transaction of its
 * own, committed before the method returns, whatever the pool's auto-commit setting and
 * whatever transaction the caller is in ({@code PROPAGATION_REQUIRES_NEW}): a write that
 * the pool rolled back, or that a caller's rollback took with it, would make another
 * instance issue a second token. The schema ships in the jar as
 * {@code io/github/c2mspring/auth/store/schema.sql}.
 */
public final class JdbcLongTermTokenStore implements LongTermTokenStore {

	/** The default table name. */
	public static final String DEFAULT_TABLE = "c2m_long_term_token";

	/** The columns the store reads and writes. */
	public static final List<String> COLUMNS = List.of("token_key", "token_id", "token_value", "scopes", "issued_at_ms",
			"expires_at_ms", "version", "lease_owner", "lease_until_ms", "retired_token_id", "retired_revoke_at_ms");

	private static final Log logger = LogFactory.getLog(JdbcLongTermTokenStore.class);

	/** The default longest one call may take. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final TokenCipher cipher;

	private final String table;

	/**
	 * Create a store whose transactions are managed by a
	 * {@link DataSourceTransactionManager} of its own on {@code dataSource} and whose
	 * calls take at most {@link #DEFAULT_TIMEOUT} each.
	 * @param dataSource the database
	 * @param cipher how token values are sealed
	 * @param table the table name
	 */
	public JdbcLongTermTokenStore(DataSource dataSource, TokenCipher cipher, String table) {
		this(dataSource, null, cipher, table, DEFAULT_TIMEOUT);
	}

	/**
	 * Create a store whose transactions are managed by a
	 * {@link DataSourceTransactionManager} of its own on {@code dataSource}.
	 * @param dataSource the database
	 * @param cipher how token values are sealed
	 * @param table the table name
	 * @param timeout the longest one statement may take (see
	 * {@link #JdbcLongTermTokenStore(DataSource, PlatformTransactionManager, TokenCipher, String, Duration)})
	 */
	public JdbcLongTermTokenStore(DataSource dataSource, TokenCipher cipher, String table, Duration timeout) {
		this(dataSource, null, cipher, table, timeout);
	}

	/**
	 * Create a store.
	 * @param dataSource the database
	 * @param transactionManager a transaction manager that manages {@code dataSource}'s
	 * transactions by other means than its JDBC connections (JTA), or {@code null} for a
	 * {@link DataSourceTransactionManager} of the store's own on it, whose connections
	 * then carry the network timeout too; each operation of the store runs in a new
	 * transaction of it
	 * @param cipher how token values are sealed
	 * @param table the table name
	 * @param timeout the longest one statement may take (its query timeout, rounded up to
	 * whole seconds) and one read of the database's answer may wait (the connection's
	 * network timeout, which also ends a statement whose cancellation cannot reach the
	 * database)
	 */
	public JdbcLongTermTokenStore(DataSource dataSource, PlatformTransactionManager transactionManager,
			TokenCipher cipher, String table, Duration timeout) {
		Assert.notNull(dataSource, "dataSource must not be null");
		Assert.notNull(cipher, "cipher must not be null");
		Assert.isTrue(table != null && table.matches("[A-Za-z_][A-Za-z0-9_.]{0,62}"),
				"table must be a plain SQL identifier");
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		DataSource bounded = new NetworkTimeoutDataSource(dataSource, timeout);
		int seconds = (int) Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000);
		this.jdbc = new JdbcTemplate(bounded);
		this.jdbc.setQueryTimeout(seconds);
		// a new transaction for each operation, committed when it returns; its statements
		// get its timeout
		this.transactions = new TransactionTemplate(
				(transactionManager != null) ? transactionManager : new DataSourceTransactionManager(bounded));
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.transactions.setTimeout(seconds);
		this.cipher = cipher;
		this.table = table;
	}

	@Override
	public Optional<StoredToken> load(String key) {
		List<Row> rows = inTransaction(() -> this.jdbc.query(
				"SELECT token_id, token_value, scopes, "
						+ "issued_at_ms, expires_at_ms, version, retired_token_id, retired_revoke_at_ms FROM "
						+ this.table + " WHERE token_key = ? AND token_value IS NOT NULL",
				(rs, n) -> Row.read(rs), key));
		if (rows == null || rows.isEmpty()) {
			return Optional.empty();
		}
		Row row = rows.get(0);
		String value;
		try {
			value = this.cipher.decrypt(row.sealed(), row.boundTo(key));
		}
		catch (IllegalStateException ex) {
			// no value in the message: the key and table name the row, the cause says why
			throw new IllegalStateException("the long-term token stored for key " + key + " in table " + this.table
					+ " is refused (delete the row to have a new one issued): " + ex.getMessage(), ex);
		}
		Row trusted = row;
		if (this.cipher.isUnbound(row.sealed()) && row.retiredId() != null) {
			// nothing binds these columns to a value sealed before values were bound to
			// their row: a
			// database writer could have pointed them at the live token to have the fleet
			// revoke it
			logger.warn("The C2M long-term token stored for key " + key + " in table " + this.table + " was sealed "
					+ "before values were bound to their row; the retired token recorded beside it (" + row.retiredId()
					+ ") is not trusted and is left to expire");
			trusted = row.withoutRetired();
		}
		if (!this.cipher.isCurrent(row.sealed())) {
			sealAgain(key, row, trusted, value);
		}
		return Optional.of(trusted.toStoredToken(value));
	}

	/**
	 * Seal a value of an older format or key again, bound to its row as far as it is
	 * trusted, unless the row changed in the meantime (its version stays: the token is
	 * the same). Best effort: the next write would do it anyway.
	 */
	private void sealAgain(String key, Row row, Row trusted, String value) {
		try {
			update("UPDATE " + this.table + " SET token_value = ?, retired_token_id = ?, retired_revoke_at_ms = ? "
					+ "WHERE token_key = ? AND version = ? AND token_value = ?",
					this.cipher.encrypt(value, trusted.boundTo(key)), trusted.retiredId(), trusted.revokeAt(), key,
					row.version(), row.sealed());
		}
		catch (DataAccessException ex) {
			logger.warn("Could not seal the C2M long-term token stored for key " + key + " in table " + this.table
					+ " again in the current format (" + ex.getClass().getSimpleName() + "); it will be at its next "
					+ "write");
		}
	}

	@Override
	public boolean compareAndSet(String key, LongTermToken token, RetiredToken retired, long expectedVersion) {
		String scopes = String.join(" ", token.scopes());
		String retiredId = (retired != null) ? retired.tokenId() : null;
		Long revokeAt = (retired != null) ? millis(retired.revokeAt()) : null;
		String sealed = this.cipher.encrypt(token.tokenValue(), boundTo(key, token.tokenId(), scopes,
				millis(token.issuedAt()), millis(token.expiresAt()), retiredId, revokeAt));
		int updated = update(
				"UPDATE " + this.table + " SET token_id = ?, token_value = ?, scopes = ?, "
						+ "issued_at_ms = ?, expires_at_ms = ?, retired_token_id = ?, retired_revoke_at_ms = ?, "
						+ "version = version + 1 WHERE token_key = ? AND version = ?",
				token.tokenId(), sealed, scopes, millis(token.issuedAt()), millis(token.expiresAt()), retiredId,
				revokeAt, key, expectedVersion);
		if (updated == 1) {
			return true;
		}
		if (expectedVersion != 0) {
			return false;
		}
		return insert(
				"INSERT INTO " + this.table + " (token_key, token_id, token_value, scopes, "
						+ "issued_at_ms, expires_at_ms, retired_token_id, retired_revoke_at_ms, version) "
						+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
				key, token.tokenId(), sealed, scopes, millis(token.issuedAt()), millis(token.expiresAt()), retiredId,
				revokeAt);
	}

	@Override
	public boolean tryLease(String key, String owner, Instant now, Instant until) {
		int taken = update(
				"UPDATE " + this.table + " SET lease_owner = ?, lease_until_ms = ? WHERE "
						+ "token_key = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until_ms <= ?)",
				owner, until.toEpochMilli(), key, owner, now.toEpochMilli());
		if (taken == 1) {
			return true;
		}
		return insert("INSERT INTO " + this.table + " (token_key, version, lease_owner, lease_until_ms) "
				+ "VALUES (?, 0, ?, ?)", key, owner, until.toEpochMilli());
	}

	@Override
	public void releaseLease(String key, String owner) {
		update("UPDATE " + this.table + " SET lease_owner = NULL, lease_until_ms = NULL WHERE token_key = ? "
				+ "AND lease_owner = ?", key, owner);
	}

	/**
	 * Run an update in a transaction of its own.
	 */
	private int update(String sql, Object... arguments) {
		Integer updated = inTransaction(() -> this.jdbc.update(sql, arguments));
		return (updated != null) ? updated : 0;
	}

	/**
	 * Run a statement in a transaction of its own. When the statement failed and the
	 * rollback failed too (a connection broken by the network timeout), the statement's
	 * failure is the one that says what happened, so it is the one thrown.
	 */
	private <T> T inTransaction(Supplier<T> statement) {
		try {
			return this.transactions.execute((status) -> statement.get());
		}
		catch (TransactionSystemException ex) {
			if (ex.getApplicationException() instanceof RuntimeException cause) {
				cause.addSuppressed(ex);
				throw cause;
			}
			throw ex;
		}
	}

	/**
	 * Insert a row in a transaction of its own (rolled back if the key is taken: on
	 * PostgreSQL a failed statement spoils the rest of its transaction).
	 * @return whether the row was inserted (false: the key was taken)
	 */
	private boolean insert(String sql, Object... arguments) {
		try {
			return update(sql, arguments) == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * What a sealed value is bound to: its row's key and the columns that go with the
	 * token, so that the value cannot be moved to another row, nor the columns changed (a
	 * retired token id pointed at the token in use, to have the fleet revoke it), without
	 * the row being refused.
	 */
	private static String[] boundTo(String key, String tokenId, String scopes, Long issuedAt, Long expiresAt,
			String retiredId, Long revokeAt) {
		return new String[] { key, tokenId, scopes, string(issuedAt), string(expiresAt), retiredId, string(revokeAt) };
	}

	private static String string(Long millis) {
		return (millis != null) ? millis.toString() : null;
	}

	private static Set<String> scopes(String scopes) {
		return StringUtils.hasText(scopes) ? Arrays.stream(scopes.split(" ")).collect(Collectors.toSet()) : Set.of();
	}

	private static Long millis(ResultSet rs, String column) throws SQLException {
		long millis = rs.getLong(column);
		return rs.wasNull() ? null : millis;
	}

	private static Long millis(Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

	private static Instant instant(Long millis) {
		return (millis != null) ? Instant.ofEpochMilli(millis) : null;
	}

	@Override
	public String toString() {
		return "JdbcLongTermTokenStore[table=" + this.table + ", " + this.cipher + "]";
	}

	/**
	 * A row as read, its value still sealed.
	 */
	private record Row(String tokenId, String sealed, String scopes, Long issuedAt, Long expiresAt, long version,
			String retiredId, Long revokeAt) {

		static Row read(ResultSet rs) throws SQLException {
			return new Row(rs.getString("token_id"), rs.getString("token_value"), rs.getString("scopes"),
					millis(rs, "issued_at_ms"), millis(rs, "expires_at_ms"), rs.getLong("version"),
					rs.getString("retired_token_id"), millis(rs, "retired_revoke_at_ms"));
		}

		String[] boundTo(String key) {
			return JdbcLongTermTokenStore.boundTo(key, this.tokenId, this.scopes, this.issuedAt, this.expiresAt,
					this.retiredId, this.revokeAt);
		}

		Row withoutRetired() {
			return new Row(this.tokenId, this.sealed, this.scopes, this.issuedAt, this.expiresAt, this.version, null,
					null);
		}

		StoredToken toStoredToken(String value) {
			LongTermToken token = new LongTermToken(value, this.tokenId, JdbcLongTermTokenStore.scopes(this.scopes),
					instant(this.issuedAt), instant(this.expiresAt));
			RetiredToken retired = (this.retiredId != null && this.revokeAt != null)
					? new RetiredToken(this.retiredId, instant(this.revokeAt)) : null;
			return new StoredToken(token, retired, this.version);
		}

		@Override
		public String toString() {
			return "Row[tokenId=" + this.tokenId + ", version=" + this.version + "]";
		}

	}

}
