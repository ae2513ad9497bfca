package io.github.c2mspring.auth.client;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Makes text that came from the server safe to put in an exception message: replaces
 * every value the call sent (secret, code, assertion, token) with {@code <masked>}, drops
 * control characters, and bounds the length.
 */
final class SecretScrubber {

	private static final int MAX_LENGTH = 200;

	private final List<String> sensitive;

	private SecretScrubber(List<String> sensitive) {
		this.sensitive = sensitive;
	}

	static SecretScrubber of(@Nullable String... sensitive) {
		return new SecretScrubber(
				Arrays.stream(sensitive).filter(Objects::nonNull).filter((value) -> value.length() >= 4).toList());
	}

	@Nullable String scrub(@Nullable String text) {
		if (text == null) {
			return null;
		}
		String result = text;
		for (String value : this.sensitive) {
			result = result.replace(value, "<masked>");
		}
		StringBuilder clean = new StringBuilder(Math.min(result.length(), MAX_LENGTH + 1));
		for (int i = 0; i < result.length() && clean.length() < MAX_LENGTH; i++) {
			char c = result.charAt(i);
			clean.append(Character.isISOControl(c) ? ' ' : c);
		}
		if (result.length() > MAX_LENGTH) {
			clean.append('…');
		}
		return clean.toString().strip();
	}

}
