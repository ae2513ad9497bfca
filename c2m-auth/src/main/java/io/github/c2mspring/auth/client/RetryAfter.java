package io.github.c2mspring.auth.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110 section
 * 10.2.3).
 */
final class RetryAfter {

	private static final Duration MAX = Duration.ofDays(1);

	private RetryAfter() {
	}

	/**
	 * Parse a header value.
	 * @param value the header value, or {@code null}
	 * @param clock the clock an HTTP-date is measured from
	 * @return the delay (zero for a date in the past, at most one day), or {@code null}
	 * when there is no header or it cannot be read
	 */
	static @Nullable Duration parse(@Nullable String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		if (trimmed.chars().allMatch(Character::isDigit)) {
			if (trimmed.length() > 9) {
				return MAX;
			}
			return min(Duration.ofSeconds(Long.parseLong(trimmed)));
		}
		try {
			Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			Duration delay = Duration.between(clock.instant(), at);
			return delay.isNegative() ? Duration.ZERO : min(delay);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static Duration min(Duration delay) {
		return (delay.compareTo(MAX) > 0) ? MAX : delay;
	}

}
