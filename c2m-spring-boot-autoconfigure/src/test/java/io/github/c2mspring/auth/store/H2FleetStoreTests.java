package io.github.c2mspring.auth.store;

import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The fleet store on H2, the embedded default.
 */
class H2FleetStoreTests extends AbstractJdbcFleetStoreTests {

	private final String url = "jdbc:h2:mem:fleet-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	@Override
	String url() {
		return this.url;
	}

	@Override
	DataSource directDataSource() {
		return new DriverManagerDataSource(this.url, "sa", "");
	}

}
