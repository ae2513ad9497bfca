package io.github.c2mspring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The settings of the accounts named under {@code c2m.clients}: each takes every
 * {@code c2m.*} setting it does not set itself, except the identity and the credential
 * ({@code c2m.client-id}, {@code c2m.auth.client-secret}, {@code c2m.auth.otp-code},
 * {@code c2m.auth.long-term-token}, {@code c2m.auth.assertion.*}), which are the
 * account's own. A failure of a named account's setting names its own property
 * ({@code c2m.clients.billing.client-id}).
 */
final class C2MClientSettings {

	/** The name of the account {@code c2m.*} configures. */
	static final String DEFAULT = "default";

	private static final String PREFIX = "c2m.";

	private static final ConfigurationPropertyName CLIENTS = ConfigurationPropertyName.of("c2m.clients");

	private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

	/** What an account never takes from {@code c2m.*}. */
	private static final List<ConfigurationPropertyName> OWN = List.of(ConfigurationPropertyName.of("c2m.client-id"),
			ConfigurationPropertyName.of("c2m.auth.client-secret"), ConfigurationPropertyName.of("c2m.auth.otp-code"),
			ConfigurationPropertyName.of("c2m.auth.long-term-token"),
			ConfigurationPropertyName.of("c2m.auth.assertion"), CLIENTS);

	private C2MClientSettings() {
	}

	/**
	 * The names of the accounts under {@code c2m.clients}, checked.
	 * @param properties the bound properties
	 * @return the names, in the order they were configured
	 */
	static Set<String> names(C2MProperties properties) {
		Set<String> names = new LinkedHashSet<>();
		for (String name : properties.getClients().keySet()) {
			if (DEFAULT.equals(name) || !NAME.matcher(name).matches()) {
				throw new C2MConfigurationException("c2m.clients." + name,
						"'" + name + "' cannot name a Click2Mail account: a name is made of lowercase letters, digits "
								+ "and dashes, and 'default' is the account c2m.* configures",
						"Rename c2m.clients." + name + " to a name such as billing or tenant-42.");
			}
			names.add(name);
		}
		return names;
	}

	/**
	 * The settings of a named account: {@code c2m.*} less the identity and the
	 * credential, then {@code c2m.clients.<name>.*} over it.
	 * @param environment the environment
	 * @param name the account's name
	 * @return its settings
	 */
	static C2MProperties of(ConfigurableEnvironment environment, String name) {
		List<ConfigurationPropertySource> inherited = new ArrayList<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			inherited.add(source.filter(C2MClientSettings::isInherited));
		}
		C2MProperties settings = new C2MProperties();
		new Binder(inherited, new PropertySourcesPlaceholdersResolver(environment)).bind("c2m",
				Bindable.ofInstance(settings));
		Binder.get(environment).bind("c2m.clients." + name, Bindable.ofInstance(settings));
		return settings;
	}

	private static boolean isInherited(ConfigurationPropertyName name) {
		for (ConfigurationPropertyName own : OWN) {
			if (own.equals(name) || own.isAncestorOf(name)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The property of a named account that a failure names.
	 * @param name the account's name
	 * @param property a {@code c2m.*} property
	 * @return {@code c2m.clients.<name>.*}
	 */
	static String property(String name, String property) {
		return property.startsWith(PREFIX) ? "c2m.clients." + name + "." + property.substring(PREFIX.length())
				: property;
	}

	/**
	 * A failure of a named account's setting, naming the account's own property.
	 * @param name the account's name
	 * @param ex the failure, naming a {@code c2m.*} property
	 * @return the failure to report
	 */
	static RuntimeException named(String name, RuntimeException ex) {
		if (ex instanceof C2MConfigurationException invalid) {
			String message = String.valueOf(invalid.getMessage());
			return new C2MConfigurationException(property(name, invalid.getProperty()),
					message.substring(message.indexOf("': ") + 3)
						.replace(invalid.getProperty(), property(name, invalid.getProperty())),
					invalid.getAction().replace(invalid.getProperty(), property(name, invalid.getProperty())),
					invalid.getCause());
		}
		if (ex instanceof InvalidConfigurationPropertyValueException invalid) {
			String reason = invalid.getReason();
			return new InvalidConfigurationPropertyValueException(property(name, invalid.getName()), invalid.getValue(),
					(reason != null) ? reason.replace(invalid.getName(), property(name, invalid.getName())) : null);
		}
		if (ex instanceof MutuallyExclusiveConfigurationPropertiesException exclusive) {
			return new MutuallyExclusiveConfigurationPropertiesException(renamed(name, exclusive.getConfiguredNames()),
					renamed(name, exclusive.getMutuallyExclusiveNames()));
		}
		return ex;
	}

	private static Set<String> renamed(String name, Set<String> properties) {
		Set<String> renamed = new LinkedHashSet<>();
		for (String property : properties) {
			renamed.add(property(name, property));
		}
		return renamed;
	}

}
