package io.github.c2mspring.auth.store;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fleet store on a real PostgreSQL, the target for fleets: the one named by
 * {@code C2M_TEST_POSTGRES_URL} ({@code .ci/start-postgres} starts one and prints its URL). Skipped,
 * saying so, where none is given; a failure instead when {@code C2M_REQUIRE_POSTGRES=true}, as in
 * CI.
 */
@ExtendWith(PostgresFleetStoreTests.PostgresAvailable.class)
class PostgresFleetStoreTests extends AbstractFleetStoreTests {

	static final String URL = "C2M_TEST_POSTGRES_URL";

	@Override
	String url() {
		return System.getenv(URL);
	}

	static class PostgresAvailable implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			String url = System.getenv(URL);
			if (url != null && !url.isBlank()) {
				return ConditionEvaluationResult.enabled("PostgreSQL at " + url.replaceAll("password=[^&]*", "password=***"));
			}
			if (Boolean.parseBoolean(System.getenv("C2M_REQUIRE_POSTGRES"))) {
				throw new IllegalStateException("PostgreSQL is required (C2M_REQUIRE_POSTGRES=true) but " + URL
						+ " is not set: run .ci/start-postgres");
			}
			System.err.println("SKIPPED: no PostgreSQL (" + URL + " unset): the PostgreSQL fleet-store tests are skipped");
			return ConditionEvaluationResult.disabled(URL + " is not set");
		}

	}

}
