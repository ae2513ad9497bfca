package io.github.c2mspring.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A {@code c2m.*} setting is missing, invalid or contradicts another, where Spring Boot's
 * own exceptions cannot say it: a missing value, a secret (Boot's analysis would print
 * it), a relation between two properties, an unknown key or an unresolved placeholder.
 * One invalid value of a property that is not secret is Boot's
 * {@code InvalidConfigurationPropertyValueException}, and properties that exclude each
 * other Boot's {@code MutuallyExclusiveConfigurationPropertiesException}, whose analyses
 * show where the property was set. Reported at startup by
 * {@link C2MConfigurationFailureAnalyzer} with the property's name and the fix. Its
 * message never contains a configured secret.
 */
public class C2MConfigurationException extends RuntimeException {

	private final String property;

	private final String action;

	/**
	 * Create an exception.
	 * @param property the property at fault, such as {@code c2m.auth.client-secret}
	 * @param description what is wrong
	 * @param action how to fix it
	 */
	public C2MConfigurationException(String property, String description, String action) {
		this(property, description, action, null);
	}

	/**
	 * Create an exception.
	 * @param property the property at fault, such as {@code c2m.auth.client-secret}
	 * @param description what is wrong
	 * @param action how to fix it
	 * @param cause the cause, or {@code null}
	 */
	public C2MConfigurationException(String property, String description, String action, @Nullable Throwable cause) {
		super("Invalid Click2Mail configuration '" + property + "': " + description, cause);
		Assert.hasText(property, "property must not be empty");
		Assert.hasText(action, "action must not be empty");
		this.property = property;
		this.action = action;
	}

	/**
	 * The property at fault.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * How to fix it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
