package io.github.c2mspring.autoconfigure;

import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Reports mutually exclusive {@code c2m.*} properties (more than one credential) when
 * Spring Boot's own analyzer cannot: Boot's looks each property up in the property
 * sources by its canonical name and gives up when one was set in another relaxed form
 * ({@code clientSecret} in YAML, for one), which would leave the failure unexplained.
 * Where Boot's can report it (with the origin of each property), this one stays silent.
 * Names only, never values.
 */
class C2MCredentialConflictFailureAnalyzer
		extends AbstractFailureAnalyzer<MutuallyExclusiveConfigurationPropertiesException> {

	private final @Nullable ConfigurableEnvironment environment;

	C2MCredentialConflictFailureAnalyzer(Environment environment) {
		this.environment = (environment instanceof ConfigurableEnvironment configurable) ? configurable : null;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure,
			MutuallyExclusiveConfigurationPropertiesException cause) {
		if (!cause.getMutuallyExclusiveNames().stream().allMatch((name) -> name.startsWith("c2m."))
				|| cause.getConfiguredNames().stream().allMatch(this::setUnderItsCanonicalName)) {
			return null;
		}
		String configured = String.join(", ", new TreeSet<>(cause.getConfiguredNames()));
		String exclusive = String.join(", ", new TreeSet<>(cause.getMutuallyExclusiveNames()));
		return new FailureAnalysis(
				"The Click2Mail properties " + exclusive + " are mutually exclusive (the long-term token comes "
						+ "from exactly one credential), but " + configured + " are configured together.",
				"Keep exactly one of " + exclusive + " and remove the others.", cause);
	}

	private boolean setUnderItsCanonicalName(String name) {
		return this.environment != null && this.environment.getPropertySources()
			.stream()
			.filter((source) -> !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source))
			.anyMatch((source) -> source.getProperty(name) != null);
	}

}
