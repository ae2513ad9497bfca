package io.github.c2mspring.emulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An answer the emulator sends: a status, an optional content type, a body (empty for
 * none) and extra headers.
 */
final class Answer {

	final int status;

	final @Nullable String contentType;

	final String body;

	final Map<String, String> headers;

	Answer(int status, @Nullable String contentType, String body, Map<String, String> headers) {
		this.status = status;
		this.contentType = contentType;
		this.body = body;
		this.headers = Map.copyOf(headers);
	}

	/**
	 * This answer with one more header.
	 * @param name the header name
	 * @param value the header value
	 * @return a new answer
	 */
	Answer withHeader(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new Answer(this.status, this.contentType, this.body, headers);
	}

	/**
	 * A JSON answer.
	 * @param status the status
	 * @param body the fields of the body
	 * @return the answer
	 */
	static Answer json(int status, Map<String, ?> body) {
		return new Answer(status, "application/json", Json.write(body), Map.of());
	}

	/**
	 * An answer without a body.
	 * @param status the status
	 * @return the answer
	 */
	static Answer empty(int status) {
		return new Answer(status, null, "", Map.of());
	}

	/**
	 * An {@code AuthError} answer.
	 * @param status the status
	 * @param code the error code
	 * @param message the error message
	 * @return the answer
	 */
	static Answer error(int status, String code, String message) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("code", code);
		error.put("message", message);
		return json(status, error);
	}

	/**
	 * A 401 {@code AuthError} answer with its {@code WWW-Authenticate} challenge.
	 * @param code the error code
	 * @param message the error message
	 * @param challenge more of the challenge, or {@code null}
	 * @return the answer
	 */
	static Answer unauthorized(String code, String message, @Nullable String challenge) {
		return error(401, code, message).withHeader("WWW-Authenticate",
				"Bearer error=\"" + code + "\"" + ((challenge != null) ? ", " + challenge : ""));
	}

	/**
	 * The 201 {@code TokenResponse} of an issued token.
	 * @param token the token
	 * @return the answer
	 */
	static Answer issued(Token token) {
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("token_type", "Bearer");
		response.put("access_token", token.value);
		response.put("expires_in", Duration.between(token.issuedAt, token.expiresAt).toSeconds());
		response.put("expires_at", token.expiresAt.toString());
		response.put("scopes", token.scopes);
		response.put("token_id", token.id);
		return json(201, response);
	}

	/**
	 * An answer that copies an injected fault's.
	 * @param fault a fault of kind {@code RESPOND}
	 * @return the answer
	 */
	static Answer of(Fault fault) {
		return new Answer(fault.status, fault.contentType, fault.body, fault.headers);
	}

}
