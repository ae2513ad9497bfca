package io.github.c2mspring.emulator;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A request the emulator answered.
 *
 * @param endpoint the endpoint, or {@code null} for an unknown path
 * @param method the HTTP method
 * @param path the request path
 * @param headers the request headers (first value of each, names as sent)
 * @param body the request body
 * @param status the status answered (0 when the connection was reset on purpose)
 * @param receivedAt when it arrived, on the emulator's clock
 */
public record RecordedRequest(@Nullable Endpoint endpoint, String method, String path, Map<String, String> headers,
		String body, int status, Instant receivedAt) {

	/**
	 * A header by name, ignoring case.
	 * @param name the header name
	 * @return its first value, or {@code null}
	 */
	public @Nullable String header(String name) {
		return this.headers.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
	}

	@Override
	public String toString() {
		return "RecordedRequest[" + this.method + " " + this.path + " -> " + this.status + " at " + this.receivedAt
				+ " (headers and body masked)]";
	}

}
