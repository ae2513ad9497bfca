package io.github.c2mspring.emulator;

import com.sun.net.httpserver.Headers;
import org.jspecify.annotations.Nullable;

/**
 * A request as a {@link Route} sees it.
 *
 * @param path the request path
 * @param headers the request headers (names ignore case)
 * @param body the request body
 */
record Request(String path, Headers headers, String body) {

	/**
	 * The first value of a header.
	 * @param name the header name
	 * @return the value, or {@code null}
	 */
	@Nullable String header(String name) {
		return this.headers.getFirst(name);
	}

	/**
	 * The bearer token of the {@code Authorization} header.
	 * @return the token, or {@code null} when there is none
	 */
	@Nullable String bearer() {
		String authorization = header("Authorization");
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String value = authorization.substring(7).trim();
		return value.isEmpty() ? null : value;
	}

	@Override
	public String toString() {
		return "Request[" + this.path + " (headers and body masked)]";
	}

}
