package io.github.c2mspring.auth.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The contract's error body: an OAuth-style {@code code}, a human-readable
 * {@code message} and optional {@code details}.
 *
 * @param code the error code, such as {@code invalid_grant}, {@code invalid_token},
 * {@code insufficient_scope}, {@code not_found} or {@code rate_limited}
 * @param message the server's message
 * @param details additional details, possibly empty
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuthError(@JsonProperty("code") @Nullable String code, @JsonProperty("message") @Nullable String message,
		@JsonProperty("details") Map<String, Object> details) {

	public AuthError {
		details = (details != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(details)) : Map.of();
	}

}
