package io.github.c2mspring.auth.store;

/**
 * The fleet store on a real MariaDB, for MySQL/MariaDB users
 * ({@code C2M_TEST_MARIADB_URL}).
 */
@EnabledIfDatabaseUrl(value = "C2M_TEST_MARIADB_URL", require = "C2M_REQUIRE_MARIADB")
class MariaDbFleetStoreTests extends AbstractJdbcFleetStoreTests {

	@Override
	String url() {
		return System.getenv("C2M_TEST_MARIADB_URL");
	}

}
