package io.github.c2mspring.auth.store;

/**
 * The fleet tests on the Redis store, on a real Redis server ({@code .ci/start-redis}).
 */
@EnabledIfDatabaseUrl(value = "C2M_TEST_REDIS_URL", require = "C2M_REQUIRE_REDIS")
class RedisFleetStoreTests extends AbstractFleetStoreTests {

	@Override
	FleetStorage storage() {
		return new RedisFleetStorage(System.getenv("C2M_TEST_REDIS_URL"));
	}

}
