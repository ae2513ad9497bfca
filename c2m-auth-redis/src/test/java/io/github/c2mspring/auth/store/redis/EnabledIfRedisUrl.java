package io.github.c2mspring.auth.store.redis;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where {@code C2M_TEST_REDIS_URL} names a Redis server (started
 * by {@code .ci/start-redis}); where {@code C2M_REQUIRE_REDIS=true} (CI), a missing one
 * fails instead of skipping.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(EnabledIfRedisUrl.Condition.class)
@interface EnabledIfRedisUrl {

	String URL_VARIABLE = "C2M_TEST_REDIS_URL";

	String REQUIRE_VARIABLE = "C2M_REQUIRE_REDIS";

	class Condition implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			String url = System.getenv(URL_VARIABLE);
			if (url != null && !url.isBlank()) {
				return ConditionEvaluationResult.enabled("Redis at " + url);
			}
			if (Boolean.parseBoolean(System.getenv(REQUIRE_VARIABLE))) {
				throw new IllegalStateException("a Redis server is required (" + REQUIRE_VARIABLE + "=true) but "
						+ URL_VARIABLE + " is not set: see .ci/run");
			}
			System.err.println("SKIPPED: " + URL_VARIABLE + " is unset: " + context.getDisplayName() + " is skipped");
			return ConditionEvaluationResult.disabled(URL_VARIABLE + " is not set");
		}

	}

}
