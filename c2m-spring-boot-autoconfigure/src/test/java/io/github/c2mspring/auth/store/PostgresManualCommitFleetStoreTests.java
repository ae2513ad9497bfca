package io.github.c2mspring.auth.store;

/**
 * The fleet store on a real PostgreSQL with pools that do not auto-commit
 * ({@code spring.datasource.hikari.auto-commit=false}).
 */
class PostgresManualCommitFleetStoreTests extends PostgresFleetStoreTests {

	@Override
	boolean autoCommit() {
		return false;
	}

}
