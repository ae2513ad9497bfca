package io.github.c2mspring.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.c2mspring.auth.C2MSetting;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Reports a startup failure caused by the core library naming its settings (a
 * {@link io.github.c2mspring.auth.C2MAuthException} or a
 * {@link io.github.c2mspring.auth.store.TokenCipherException}): the description keeps the
 * core's message and adds the {@code c2m.*} properties behind each setting
 * ({@link C2MSettingProperties}), the action says which properties to review.
 */
class C2MSettingFailureAnalyzer implements FailureAnalyzer {

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		Throwable cause = C2MSettingProperties.firstNamingSettings(failure);
		if (cause == null) {
			return null;
		}
		Set<C2MSetting> settings = C2MSettingProperties.settingsOf(cause);
		String described = settings.stream()
			.map((setting) -> setting.description() + " ("
					+ String.join(", ", C2MSettingProperties.propertiesFor(setting)) + ")")
			.collect(Collectors.joining("; "));
		List<String> properties = C2MSettingProperties.propertiesFor(failure);
		String description = cause.getMessage() + "\n\nThe Click2Mail settings that bear on it: " + described + ".";
		String action = "Review " + ((properties.size() == 1) ? "the property " : "the properties ")
				+ String.join(", ", properties) + " in the light of the description above.";
		return new FailureAnalysis(description, action, cause);
	}

}
