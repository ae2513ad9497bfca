package io.github.c2mspring.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The first check of {@link C2MPropertiesCheck}: a {@code c2m.*} value still holding an
 * unresolved {@code ${...}} placeholder (an unset environment variable) fails, naming the
 * property and the variable, never the value.
 */
final class C2MUnresolvedPlaceholders {

	/**
	 * A placeholder without a default, closed, not escaped, naming a variable or
	 * property: what Spring resolves; anything else in a value (a lone {@code $&#123;},
	 * an escaped one) is taken as it is, and may be part of a secret.
	 */
	private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\\\)\\$\\{([A-Za-z_][A-Za-z0-9_.\\-]*)\\}");

	private C2MUnresolvedPlaceholders() {
	}

	/**
	 * Fail on the first value with an unresolved placeholder.
	 * @param environment the environment, which resolves placeholders
	 * @param entries the {@code c2m.*} keys and where they were found
	 */
	static void check(ConfigurableEnvironment environment,
			Map<ConfigurationPropertyName, C2MPropertiesCheck.Entry> entries) {
		for (Map.Entry<ConfigurationPropertyName, C2MPropertiesCheck.Entry> item : entries.entrySet()) {
			ConfigurationPropertyName name = item.getKey();
			C2MPropertiesCheck.Entry entry = item.getValue();
			ConfigurationProperty property = entry.source().getConfigurationProperty(name);
			if (property == null || !(property.getValue() instanceof String value) || !value.contains("${")) {
				continue;
			}
			Set<String> unresolved = new LinkedHashSet<>();
			Matcher matcher = PLACEHOLDER.matcher(value);
			while (matcher.find()) {
				String placeholder = matcher.group();
				if (placeholder.equals(environment.resolvePlaceholders(placeholder))) {
					unresolved.add(matcher.group(1));
				}
			}
			if (unresolved.isEmpty()) {
				continue;
			}
			// only the names of the variables: the rest of the value may be (part of) a
			// secret
			String variable = unresolved.iterator().next();
			String placeholders = String.join(", ", unresolved.stream().map((v) -> "${" + v + "}").toList());
			throw new C2MConfigurationException(name.toString(),
					"holds the unresolved placeholder " + placeholders + origin(property)
							+ ", which would be used as it is",
					"Set the environment variable " + variable + " (or a property of that name), or give the "
							+ "placeholder a default (${" + variable + ":...}), or remove " + name + ".");
		}
	}

	private static String origin(ConfigurationProperty property) {
		return (property.getOrigin() != null) ? " (from " + property.getOrigin() + ")" : "";
	}

}
