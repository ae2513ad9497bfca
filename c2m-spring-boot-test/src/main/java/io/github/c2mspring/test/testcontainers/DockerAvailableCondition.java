package io.github.c2mspring.test.testcontainers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * The condition behind {@link EnabledIfDockerAvailable}.
 */
class DockerAvailableCondition implements ExecutionCondition {

	/** The environment variable that turns a missing Docker into a failure. */
	static final String REQUIRE_DOCKER = "C2M_REQUIRE_DOCKER";

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (DockerClientFactory.instance().isDockerAvailable()) {
			return ConditionEvaluationResult.enabled("Docker is available");
		}
		if (Boolean.parseBoolean(System.getenv(REQUIRE_DOCKER))) {
			throw new IllegalStateException("Docker is required (" + REQUIRE_DOCKER
					+ "=true) but Testcontainers found none: start dockerd, or see .ci/run for the set-up");
		}
		String reason = "Docker is not available: the container tests of " + context.getDisplayName()
				+ " are skipped (set " + REQUIRE_DOCKER + "=true to make this a failure)";
		System.err.println("SKIPPED: " + reason);
		return ConditionEvaluationResult.disabled(reason);
	}

}
