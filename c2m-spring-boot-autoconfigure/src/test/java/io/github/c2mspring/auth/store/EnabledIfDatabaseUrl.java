package io.github.c2mspring.auth.store;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs a test class against the database whose JDBC URL an environment variable names
 * ({@code .ci/start-postgres} and {@code .ci/start-mariadb} print one); skips it, saying
 * so, where the variable is unset, and fails it instead when the {@link #require()}
 * variable is {@code true}, as in CI.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(EnabledIfDatabaseUrl.Condition.class)
@interface EnabledIfDatabaseUrl {

	/**
	 * The environment variable holding the JDBC URL.
	 * @return the variable
	 */
	String value();

	/**
	 * The environment variable that makes a missing database a failure.
	 * @return the variable
	 */
	String require();

	class Condition implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			EnabledIfDatabaseUrl database = context.getTestClass()
				.flatMap((type) -> AnnotationSupport.findAnnotation(type, EnabledIfDatabaseUrl.class))
				.orElseThrow();
			String url = System.getenv(database.value());
			if (url != null && !url.isBlank()) {
				return ConditionEvaluationResult
					.enabled("database at " + url.replaceAll("password=[^&]*", "password=***"));
			}
			if (Boolean.parseBoolean(System.getenv(database.require()))) {
				throw new IllegalStateException("a database is required (" + database.require() + "=true) but "
						+ database.value() + " is not set: see .ci/run");
			}
			System.err
				.println("SKIPPED: " + database.value() + " is unset: " + context.getDisplayName() + " is skipped");
			return ConditionEvaluationResult.disabled(database.value() + " is not set");
		}

	}

}
