package io.github.c2mspring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;

/**
 * The DDL of the JDBC long-term token store, shipped in the jar as {@value #LOCATION}: portable
 * across PostgreSQL, H2 and MySQL/MariaDB. For a manual migration, run that file (with the table
 * name changed if {@code c2m.auth.store.table-name} is set).
 */
public final class C2MStoreSchema {

	/** Where the script is on the classpath. */
	public static final String LOCATION = "io/github/c2mspring/auth/store/schema.sql";

	private C2MStoreSchema() {
	}

	/**
	 * The {@code CREATE TABLE IF NOT EXISTS} statement for a table name.
	 * @param table the table name
	 * @return the statement, without comments or trailing semicolon
	 */
	public static String script(String table) {
		try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
			String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			StringBuilder sql = new StringBuilder();
			for (String line : script.split("\n")) {
				if (!line.trim().startsWith("--")) {
					sql.append(line).append('\n');
				}
			}
			return sql.toString().replace("c2m_long_term_token", table).trim().replaceAll(";$", "");
		}
		catch (IOException ex) {
			throw new IllegalStateException("the schema " + LOCATION + " is missing from the jar", ex);
		}
	}

}
