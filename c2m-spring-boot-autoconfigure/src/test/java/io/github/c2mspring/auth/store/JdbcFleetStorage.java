package io.github.c2mspring.auth.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.c2mspring.auth.store.jdbc.C2MStoreSchema;
import io.github.c2mspring.auth.store.jdbc.JdbcLongTermTokenStore;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A fleet's table on a database, created afresh.
 */
final class JdbcFleetStorage implements FleetStorage {

	static final String TABLE = "c2m_long_term_token";

	private final String url;

	private final boolean autoCommit;

	private final HikariDataSource dataSource;

	private final JdbcTemplate setup;

	/**
	 * A fleet's table.
	 * @param url the JDBC URL the instances connect to (through Boot's Hikari pool)
	 * @param setup a data source that commits each statement, for the table's set-up
	 * @param autoCommit whether the pools of the instances, and of {@link #store()},
	 * commit each statement themselves ({@code spring.datasource.hikari.auto-commit}), or
	 * leave that to a transaction, as with JPA
	 */
	JdbcFleetStorage(String url, DataSource setup, boolean autoCommit) {
		this.url = url;
		this.autoCommit = autoCommit;
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(url);
		if (url.startsWith("jdbc:h2:")) {
			pool.setUsername("sa");
		}
		pool.setAutoCommit(autoCommit);
		pool.setMaximumPoolSize(4);
		pool.setPoolName("fleet-store");
		this.dataSource = pool;
		this.setup = new JdbcTemplate(setup);
		this.setup.execute("DROP TABLE IF EXISTS " + TABLE);
		this.setup.execute(C2MStoreSchema.script(TABLE));
	}

	@Override
	public List<String> properties() {
		return List.of("spring.datasource.url=" + this.url, "c2m.auth.store.type=jdbc",
				"c2m.auth.store.initialize-schema=true", "spring.datasource.hikari.auto-commit=" + this.autoCommit);
	}

	@Override
	public LongTermTokenStore store() {
		return new JdbcLongTermTokenStore(this.dataSource, TABLE);
	}

	@Override
	public Map<String, String> entry(String key) {
		Map<String, String> entry = new LinkedHashMap<>();
		this.setup.queryForMap("SELECT * FROM " + TABLE + " WHERE token_key = ?", key).forEach((column, value) -> {
			if (value != null) {
				entry.put(column.toLowerCase(java.util.Locale.ROOT), String.valueOf(value));
			}
		});
		return entry;
	}

	@Override
	public void update(String key, Map<String, ?> fields) {
		List<String> assignments = new ArrayList<>();
		List<Object> arguments = new ArrayList<>();
		fields.forEach((column, value) -> {
			assignments.add(column + " = ?");
			// the time columns are numbers
			arguments.add((value instanceof String text && column.endsWith("_ms")) ? Long.valueOf(text) : value);
		});
		arguments.add(key);
		this.setup.update("UPDATE " + TABLE + " SET " + String.join(", ", assignments) + " WHERE token_key = ?",
				arguments.toArray());
	}

	@Override
	public void close() {
		this.dataSource.close();
	}

}
