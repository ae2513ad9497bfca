package io.github.c2mspring.auth.store;

/**
 * The fleet store on a real PostgreSQL, the target for fleets
 * ({@code C2M_TEST_POSTGRES_URL}).
 */
@EnabledIfDatabaseUrl(value = "C2M_TEST_POSTGRES_URL", require = "C2M_REQUIRE_POSTGRES")
class PostgresFleetStoreTests extends AbstractJdbcFleetStoreTests {

	@Override
	String url() {
		return System.getenv("C2M_TEST_POSTGRES_URL");
	}

}
