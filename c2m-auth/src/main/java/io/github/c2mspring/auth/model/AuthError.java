package io.github.c2mspring.auth.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

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

	/**
	 * Read the JSON body of an error answer.
	 * @param body the body
	 * @return the error, {@code null} for a JSON {@code null}
	 * @throws tools.jackson.core.JacksonException if the body is no such JSON object
	 */
	public static @Nullable AuthError read(String body) {
		return Reader.JSON.readValue(body, AuthError.class);
	}

	/**
	 * Read the JSON body of an error answer.
	 * @param body the body, in UTF-8
	 * @return the error, {@code null} for a JSON {@code null}
	 * @throws tools.jackson.core.JacksonException if the body is no such JSON object
	 */
	public static @Nullable AuthError read(byte[] body) {
		return Reader.JSON.readValue(body, AuthError.class);
	}

	/**
	 * The reader, created when the first error is read rather than when the client is: a
	 * mapper costs tens of milliseconds to set up.
	 */
	private static final class Reader {

		private static final JsonMapper JSON = JsonMapper.builder().build();

	}

}
