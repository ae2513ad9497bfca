package io.github.c2mspring.auth.store.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * A {@link LongTermTokenStore} in a relational database (PostgreSQL, H2, MySQL/MariaDB),
 * one row per client id. It stores the token value it is given: wrap it in an
 * {@link io.github.c2mspring.auth.store.EncryptingLongTermTokenStore} to keep the value
 * sealed (the auto-configuration does), which also seals values read in an older format
 * again in place ({@link #rewrite}). Coordination is the database's own: updates are
 * compare-and-set on the row's version, and the lease is a conditional update of the same
 * row. Every statement runs in a transaction of its own, committed before the method
 * returns, whatever the pool's auto-commit setting and whatever transaction the caller is
 * in ({@code PROPAGATION_REQUIRES_NEW}): a write that the pool rolled back, or that a
 * caller's rollback took with it, would make another instance issue a second token. The
 * schema ships in the jar as {@code io/github/c2mspring/auth/store/schema.sql}.
 */
public final class JdbcLongTermTokenStore implements LongTermTokenStore {

	/** The default table name. */
	public static final String DEFAULT_TABLE = "c2m_long_term_token";

	/** The columns the store reads and writes. */
	public static final List<String> COLUMNS = List.of("token_key", "token_id", "token_value", "scopes", "issued_at_ms",
			"expires_at_ms", "version", "lease_owner", "lease_until_ms", "retired_token_id", "retired_revoke_at_ms");

	/** The default longest one call may take. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final String table;

	private final JdbcTokenRows rows;

	/**
	 * Create a store whose transactions are managed by a
	 * {@link DataSourceTransactionManager} of its own on {@code dataSource} and whose
	 * calls take at most {@link #DEFAULT_TIMEOUT} each.
	 * @param dataSource the database
	 * @param table the table name
	 */
	public JdbcLongTermTokenStore(DataSource dataSource, String table) {
		this(dataSource, null, table, DEFAULT_TIMEOUT);
	}

	/**
	 * Create a store whose transactions are managed by a
	 * {@link DataSourceTransactionManager} of its own on {@code dataSource}.
	 * @param dataSource the database
	 * @param table the table name
	 * @param timeout the longest one statement may take (see
	 * {@link #JdbcLongTermTokenStore(DataSource, PlatformTransactionManager, String, Duration)})
	 */
	public JdbcLongTermTokenStore(DataSource dataSource, String table, Duration timeout) {
		this(dataSource, null, table, timeout);
	}

	/**
	 * Create a store.
	 * @param dataSource the database
	 * @param transactionManager a transaction manager that manages {@code dataSource}'s
	 * transactions by other means than its JDBC connections (JTA), or {@code null} for a
	 * {@link DataSourceTransactionManager} of the store's own on it, whose connections
	 * then carry the network timeout too; each operation of the store runs in a new
	 * transaction of it
	 * @param table the table name
	 * @param timeout the longest one statement may take (its query timeout, rounded up to
	 * whole seconds) and one read of the database's answer may wait (the connection's
	 * network timeout, which also ends a statement whose cancellation cannot reach the
	 * database)
	 */
	public JdbcLongTermTokenStore(DataSource dataSource, @Nullable PlatformTransactionManager transactionManager,
			String table, Duration timeout) {
		Assert.notNull(dataSource, "dataSource must not be null");
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
		this.table = table;
		this.rows = new JdbcTokenRows(table);
	}

	@Override
	public Optional<StoredToken> load(String key) {
		List<StoredToken> rows = inTransaction(
				() -> this.jdbc.query(this.rows.select(), (rs, n) -> JdbcTokenRows.read(rs), key));
		return (rows == null || rows.isEmpty()) ? Optional.empty() : Optional.of(rows.get(0));
	}

	@Override
	public boolean compareAndSet(String key, LongTermToken token, @Nullable RetiredToken retired,
			long expectedVersion) {
		@Nullable Object[] columns = JdbcTokenRows.columns(token, retired);
		@Nullable Object[] updateArguments = Arrays.copyOf(columns, columns.length + 2);
		updateArguments[columns.length] = key;
		updateArguments[columns.length + 1] = expectedVersion;
		if (update(this.rows.compareAndSet(), updateArguments) == 1) {
			return true;
		}
		if (expectedVersion != 0) {
			return false;
		}
		@Nullable Object[] insertArguments = new Object[columns.length + 1];
		insertArguments[0] = key;
		System.arraycopy(columns, 0, insertArguments, 1, columns.length);
		return insert(this.rows.insert(), insertArguments);
	}

	/**
	 * Replace the row's value and retired token, its version kept, if the row is still at
	 * the version and holds the value that were read.
	 */
	@Override
	public boolean rewrite(String key, StoredToken expected, LongTermToken token, @Nullable RetiredToken retired) {
		return update(this.rows.rewrite(), token.tokenValue(), (retired != null) ? retired.tokenId() : null,
				(retired != null) ? JdbcTokenRows.millis(retired.revokeAt()) : null, key, expected.version(),
				expected.token().tokenValue()) == 1;
	}

	@Override
	public boolean tryLease(String key, String owner, Instant now, Instant until) {
		int taken = update(this.rows.tryLease(), owner, until.toEpochMilli(), key, owner, now.toEpochMilli());
		if (taken == 1) {
			return true;
		}
		return insert(this.rows.insertLease(), key, owner, until.toEpochMilli());
	}

	@Override
	public void releaseLease(String key, String owner) {
		update(this.rows.releaseLease(), key, owner);
	}

	/**
	 * Run an update in a transaction of its own.
	 */
	private int update(String sql, @Nullable Object... arguments) {
		Integer updated = inTransaction(() -> this.jdbc.update(sql, arguments));
		return (updated != null) ? updated : 0;
	}

	/**
	 * Run a statement in a transaction of its own. When the statement failed and the
	 * rollback failed too (a connection broken by the network timeout), the statement's
	 * failure is the one that says what happened, so it is the one thrown.
	 */
	private <T> @Nullable T inTransaction(Supplier<T> statement) {
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
	private boolean insert(String sql, @Nullable Object... arguments) {
		try {
			return update(sql, arguments) == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return "JdbcLongTermTokenStore[table=" + this.table + "]";
	}

}
