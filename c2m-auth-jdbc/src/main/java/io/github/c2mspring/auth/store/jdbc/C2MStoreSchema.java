package io.github.c2mspring.auth.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The DDL of the JDBC long-term token store, shipped in the jar as {@value #LOCATION}:
 * portable across PostgreSQL, H2 and MySQL/MariaDB. For a manual migration, run that file
 * (with the table name changed if {@code c2m.auth.store.table-name} is set); a table
 * created before a column existed gets it with {@code ALTER TABLE ... ADD COLUMN}, as
 * {@link #addColumn} writes it.
 */
public final class C2MStoreSchema {

	/** Where the script is on the classpath. */
	public static final String LOCATION = "io/github/c2mspring/auth/store/schema.sql";

	private static final Pattern COLUMN = Pattern.compile("^\\s+([a-z_]+)\\s+([A-Z]+(?:\\(\\d+\\))?).*$");

	private C2MStoreSchema() {
	}

	/**
	 * The {@code CREATE TABLE IF NOT EXISTS} statement for a table name.
	 * @param table the table name
	 * @return the statement, without comments or trailing semicolon
	 */
	public static String script(String table) {
		StringBuilder sql = new StringBuilder();
		for (String line : lines()) {
			if (!line.trim().startsWith("--")) {
				sql.append(line).append('\n');
			}
		}
		return sql.toString().replace(JdbcLongTermTokenStore.DEFAULT_TABLE, table).trim().replaceAll(";$", "");
	}

	/**
	 * The statement that adds a column of the schema to a table created without it.
	 * @param table the table name
	 * @param column the column
	 * @return the {@code ALTER TABLE} statement
	 */
	public static String addColumn(String table, String column) {
		String type = columnTypes().get(column);
		if (type == null) {
			throw new IllegalArgumentException("the schema has no column " + column);
		}
		return "ALTER TABLE " + table + " ADD COLUMN " + column + " " + type;
	}

	/**
	 * The columns the store needs that a table lacks (all of them if the table does not
	 * exist).
	 * @param jdbc the database
	 * @param table the table name
	 * @return the missing columns, empty if the table is complete
	 * @throws DataAccessException if the database cannot be reached
	 */
	public static List<String> missingColumns(JdbcTemplate jdbc, String table) {
		List<String> missing = new ArrayList<>();
		for (String column : JdbcLongTermTokenStore.COLUMNS) {
			try {
				jdbc.queryForList("SELECT " + column + " FROM " + table + " WHERE 1 = 0");
			}
			catch (BadSqlGrammarException ex) {
				missing.add(column);
			}
		}
		return missing;
	}

	static Map<String, String> columnTypes() {
		Map<String, String> types = new LinkedHashMap<>();
		for (String line : lines()) {
			Matcher matcher = COLUMN.matcher(line);
			if (!line.trim().startsWith("--") && matcher.matches()) {
				types.put(matcher.group(1), matcher.group(2));
			}
		}
		return types;
	}

	private static String[] lines() {
		try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
		}
		catch (IOException ex) {
			throw new IllegalStateException("the schema " + LOCATION + " is missing from the jar", ex);
		}
	}

}
