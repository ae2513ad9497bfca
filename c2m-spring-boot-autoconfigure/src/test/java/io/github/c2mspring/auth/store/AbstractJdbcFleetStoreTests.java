package io.github.c2mspring.auth.store;

import javax.sql.DataSource;

import io.github.c2mspring.auth.store.jdbc.C2MStoreSchema;
import io.github.c2mspring.autoconfigure.C2MConfigurationException;
import io.github.c2mspring.testsupport.Flows;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static io.github.c2mspring.auth.store.Fleet.longTermToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The fleet tests on the JDBC store (H2, PostgreSQL and MariaDB subclasses, each with
 * pools that commit each statement and pools that leave it to a transaction), and what
 * only a table has: a schema to create and upgrade.
 */
abstract class AbstractJdbcFleetStoreTests extends AbstractFleetStoreTests {

	/**
	 * The JDBC URL of the database the fleet shares.
	 * @return the URL
	 */
	abstract String url();

	/**
	 * A plain data source on that database, as Boot's own would connect.
	 * @return the data source
	 */
	DataSource directDataSource() {
		return new DriverManagerDataSource(url());
	}

	/**
	 * Whether the pools commit each statement themselves, Hikari's default, or leave it
	 * to a transaction ({@code spring.datasource.hikari.auto-commit=false}, common with
	 * JPA).
	 * @return whether the pools auto-commit
	 */
	boolean autoCommit() {
		return true;
	}

	@Override
	FleetStorage storage() {
		return new JdbcFleetStorage(url(), directDataSource(), autoCommit());
	}

	@Test
	void tableOfTheFirstSchemaIsUpgradedAtStartupOrRefusedWithTheStatementsThatFixIt() {
		JdbcTemplate jdbc = new JdbcTemplate(directDataSource());
		jdbc.execute("DROP TABLE c2m_long_term_token");
		jdbc.execute(C2MStoreSchema.script("c2m_long_term_token")
			.replace(",\n    retired_token_id     VARCHAR(200),\n    retired_revoke_at_ms BIGINT", ""));
		assertThat(C2MStoreSchema.missingColumns(jdbc, "c2m_long_term_token")).containsExactly("retired_token_id",
				"retired_revoke_at_ms");
		assertThat(catchThrowable(() -> this.fleet.start(null, "c2m.auth.store.initialize-schema=false"))).rootCause()
			.isInstanceOfSatisfying(C2MConfigurationException.class, (ex) -> {
				assertThat(ex.getProperty()).isEqualTo("c2m.auth.store.table-name");
				assertThat(ex.getMessage()).contains("lacks the column(s) [retired_token_id, retired_revoke_at_ms]");
				assertThat(ex.getAction()).contains(
						"ALTER TABLE c2m_long_term_token ADD COLUMN retired_token_id VARCHAR(200); ALTER TABLE "
								+ "c2m_long_term_token ADD COLUMN retired_revoke_at_ms BIGINT",
						"c2m.auth.store.initialize-schema=true");
			});
		ConfigurableApplicationContext upgraded = this.fleet.start(null);
		assertThat(C2MStoreSchema.missingColumns(jdbc, "c2m_long_term_token")).isEmpty();
		Flows.submitThroughBothClients(upgraded);
		assertThat(this.fleet.stored().token().tokenId()).isEqualTo(longTermToken(upgraded).tokenId());
	}

}
