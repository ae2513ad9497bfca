package io.github.c2mspring.auth.store;

/**
 * The fleet store on a real MariaDB with pools that do not auto-commit
 * ({@code spring.datasource.hikari.auto-commit=false}).
 */
class MariaDbManualCommitFleetStoreTests extends MariaDbFleetStoreTests {

	@Override
	boolean autoCommit() {
		return false;
	}

}
