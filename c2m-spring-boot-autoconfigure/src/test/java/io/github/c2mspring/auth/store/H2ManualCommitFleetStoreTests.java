package io.github.c2mspring.auth.store;

/**
 * The fleet store on H2 with pools that do not auto-commit
 * ({@code spring.datasource.hikari.auto-commit=false}).
 */
class H2ManualCommitFleetStoreTests extends H2FleetStoreTests {

	@Override
	boolean autoCommit() {
		return false;
	}

}
