package io.github.c2mspring.emulator;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;

/**
 * Something the emulator does instead of, or before, answering normally. Create faults
 * with the factory methods and inject them with {@link C2MEmulator#faults()}.
 */
public final class Fault {

	enum Kind {

		RESPOND, DELAY, BLOCK, RESET

	}

	final Kind kind;

	final int status;

	final @Nullable String contentType;

	final String body;

	final Map<String, String> headers;

	final Duration delay;

	final @Nullable CountDownLatch latch;

	final @Nullable Fault then;

	private Fault(Kind kind, int status, @Nullable String contentType, String body, Map<String, String> headers,
			Duration delay, @Nullable CountDownLatch latch) {
		this(kind, status, contentType, body, headers, delay, latch, null);
	}

	private Fault(Kind kind, int status, @Nullable String contentType, String body, Map<String, String> headers,
			Duration delay, @Nullable CountDownLatch latch, @Nullable Fault then) {
		this.then = then;
		this.kind = kind;
		this.status = status;
		this.contentType = contentType;
		this.body = body;
		this.headers = Map.copyOf(headers);
		this.delay = delay;
		this.latch = latch;
	}

	/**
	 * Answer with a status and an {@code AuthError} body ({@code server_error} for 5xx,
	 * {@code error} otherwise).
	 * @param status the status
	 * @return the fault
	 */
	public static Fault status(int status) {
		return status(status, (status >= 500) ? "server_error" : "error", "Injected failure " + status);
	}

	/**
	 * Answer with a status and an {@code AuthError} body.
	 * @param status the status
	 * @param code the error code
	 * @param message the error message
	 * @return the fault
	 */
	public static Fault status(int status, String code, String message) {
		return raw(status, "application/json", Json.write(Map.of("code", code, "message", message)), Map.of());
	}

	/**
	 * Answer with anything.
	 * @param status the status
	 * @param contentType the content type, or {@code null} for none
	 * @param body the body (empty or {@code null} for none)
	 * @param headers extra headers
	 * @return the fault
	 */
	public static Fault raw(int status, @Nullable String contentType, @Nullable String body,
			Map<String, String> headers) {
		return new Fault(Kind.RESPOND, status, contentType, Objects.requireNonNullElse(body, ""), headers,
				Duration.ZERO, null);
	}

	/**
	 * Answer 201 with a body that is not JSON.
	 * @return the fault
	 */
	public static Fault malformedBody() {
		return raw(201, "application/json", "{not json", Map.of());
	}

	/**
	 * Answer 429 {@code rate_limited} with a {@code Retry-After} header.
	 * @param retryAfter the raw header value (seconds, an HTTP date, or anything)
	 * @return the fault
	 */
	public static Fault rateLimited(String retryAfter) {
		return raw(429, "application/json",
				Json.write(Map.of("code", "rate_limited", "message", "Too many requests. Please retry later.")),
				Map.of("Retry-After", retryAfter));
	}

	/**
	 * Wait, then answer normally.
	 * @param delay how long to wait
	 * @return the fault
	 */
	public static Fault delay(Duration delay) {
		return new Fault(Kind.DELAY, 0, null, "", Map.of(), delay, null);
	}

	/**
	 * Wait until the latch opens (at most a minute), then answer normally.
	 * @param latch the latch the test opens
	 * @return the fault
	 */
	public static Fault block(CountDownLatch latch) {
		return new Fault(Kind.BLOCK, 0, null, "", Map.of(), Duration.ZERO, Objects.requireNonNull(latch));
	}

	/**
	 * Wait until the latch opens (at most a minute), then answer with another fault
	 * instead of normally.
	 * @param latch the latch the test opens
	 * @param then the fault to answer with, one made by {@link #status}, {@link #raw},
	 * {@link #rateLimited} or {@link #malformedBody()}
	 * @return the fault
	 */
	public static Fault blockThen(CountDownLatch latch, Fault then) {
		if (then.kind != Kind.RESPOND) {
			throw new IllegalArgumentException("a blocked request can only be followed by an answer, not " + then);
		}
		return new Fault(Kind.BLOCK, 0, null, "", Map.of(), Duration.ZERO, Objects.requireNonNull(latch), then);
	}

	/**
	 * Close the connection without answering.
	 * @return the fault
	 */
	public static Fault resetConnection() {
		return new Fault(Kind.RESET, 0, null, "", Map.of(), Duration.ZERO, null);
	}

	@Override
	public String toString() {
		return "Fault[" + this.kind + ((this.kind == Kind.RESPOND) ? " " + this.status : "") + "]";
	}

}
