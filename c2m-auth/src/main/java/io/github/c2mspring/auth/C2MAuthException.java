package io.github.c2mspring.auth;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The one exception type of the starter: every failed call to the Click2Mail auth API,
 * whether the server answered with an error status, with a body the client cannot read,
 * or not at all (connection refused, timeout), and every failure to obtain a token.
 * <p>
 * It carries the {@link #getOperation() operation}, the HTTP {@link #getStatus() status}
 * (0 when no answer came), the server's {@link #getCode() code} and
 * {@link #getServerMessage() message} from its {@code AuthError} body, and the
 * {@link #getRetryAfter() Retry-After} the server asked for, and the
 * {@link #getSettings() settings} that bear on it (a timeout that ran out, the credential
 * that cannot issue), so that an adapter can name its own configuration for them. Its
 * message never contains a secret or a token.
 */
public class C2MAuthException extends RuntimeException {

	/** The code used when the server's answer carried no {@code AuthError} code. */
	public static final String UNKNOWN_CODE = "unknown";

	/** The code used when no answer came at all (refused, reset, timed out). */
	public static final String TRANSPORT_CODE = "transport_error";

	/** The code used when a successful answer could not be understood. */
	public static final String INVALID_RESPONSE_CODE = "invalid_response";

	private final C2MOperation operation;

	private final int status;

	private final String code;

	private final @Nullable String serverMessage;

	private final @Nullable Duration retryAfter;

	private final boolean requestNotSent;

	private final Set<C2MSetting> settings;

	/**
	 * Create an exception.
	 * @param operation the operation that failed
	 * @param status the HTTP status, or 0 when no answer came
	 * @param code the error code, never {@code null}
	 * @param serverMessage the server's message, or {@code null}
	 * @param retryAfter the delay the server asked for, or {@code null}
	 * @param description what happened, in words (no secrets), or {@code null}
	 * @param cause the cause, or {@code null}
	 */
	public C2MAuthException(C2MOperation operation, int status, String code, @Nullable String serverMessage,
			@Nullable Duration retryAfter, @Nullable String description, @Nullable Throwable cause) {
		this(operation, status, code, serverMessage, retryAfter, description, cause, false);
	}

	/**
	 * Create an exception for a call that failed before its request could reach the
	 * server, or that may have reached it.
	 * @param operation the operation that failed
	 * @param status the HTTP status, or 0 when no answer came
	 * @param code the error code, never {@code null}
	 * @param serverMessage the server's message, or {@code null}
	 * @param retryAfter the delay the server asked for, or {@code null}
	 * @param description what happened, in words (no secrets), or {@code null}
	 * @param cause the cause, or {@code null}
	 * @param requestNotSent whether the request certainly never left this host (see
	 * {@link #isRequestNotSent()}); only with a status of 0
	 */
	public C2MAuthException(C2MOperation operation, int status, String code, @Nullable String serverMessage,
			@Nullable Duration retryAfter, @Nullable String description, @Nullable Throwable cause,
			boolean requestNotSent) {
		this(operation, status, code, serverMessage, retryAfter, description, cause, requestNotSent, new C2MSetting[0]);
	}

	/**
	 * Create an exception that names the settings bearing on it.
	 * @param operation the operation that failed
	 * @param status the HTTP status, or 0 when no answer came
	 * @param code the error code, never {@code null}
	 * @param serverMessage the server's message, or {@code null}
	 * @param retryAfter the delay the server asked for, or {@code null}
	 * @param description what happened, in words (no secrets), naming the settings in the
	 * core's own terms ({@link C2MSetting#description()})
	 * @param cause the cause, or {@code null}
	 * @param requestNotSent whether the request certainly never left this host (see
	 * {@link #isRequestNotSent()}); only with a status of 0
	 * @param settings the settings that may fix or explain the failure
	 */
	public C2MAuthException(C2MOperation operation, int status, String code, @Nullable String serverMessage,
			@Nullable Duration retryAfter, @Nullable String description, @Nullable Throwable cause,
			boolean requestNotSent, C2MSetting... settings) {
		super(buildMessage(operation, status, code, description), cause);
		Assert.noNullElements(settings, "settings must not contain null");
		Assert.isTrue(!requestNotSent || status == 0, "a request that was answered was sent");
		Assert.notNull(operation, "operation must not be null");
		Assert.hasText(code, "code must not be empty");
		this.operation = operation;
		this.status = status;
		this.code = code;
		this.serverMessage = serverMessage;
		this.retryAfter = retryAfter;
		this.requestNotSent = requestNotSent;
		this.settings = (settings.length != 0) ? Collections.unmodifiableSet(EnumSet.of(settings[0], settings))
				: Collections.emptySet();
	}

	private static String buildMessage(C2MOperation operation, int status, String code, @Nullable String description) {
		StringBuilder message = new StringBuilder("C2M ").append(operation.tagValue()).append(" failed");
		if (status > 0) {
			message.append(" with HTTP ").append(status);
		}
		message.append(" [").append(code).append("]");
		if (description != null && !description.isBlank()) {
			message.append(": ").append(description);
		}
		return message.toString();
	}

	/**
	 * The operation that failed.
	 * @return the operation
	 */
	public C2MOperation getOperation() {
		return this.operation;
	}

	/**
	 * The HTTP status the server answered with.
	 * @return the status, or 0 when no answer came
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * The server's error code ({@code invalid_grant}, {@code invalid_token}, ...), or one
	 * of {@link #UNKNOWN_CODE}, {@link #TRANSPORT_CODE} and
	 * {@link #INVALID_RESPONSE_CODE}.
	 * @return the code
	 */
	public String getCode() {
		return this.code;
	}

	/**
	 * The server's human-readable message from its {@code AuthError} body.
	 * @return the message, or {@code null}
	 */
	public @Nullable String getServerMessage() {
		return this.serverMessage;
	}

	/**
	 * The delay the server asked for in a {@code Retry-After} header.
	 * @return the delay, or {@code null} when none was given or it could not be read
	 */
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * Whether the server refused the credential or token itself (401, or an
	 * {@code invalid_grant}/{@code invalid_token} code): retrying the same call will not
	 * help.
	 * @return whether this is an authentication failure
	 */
	public boolean isAuthenticationFailure() {
		return this.status == 401 || "invalid_grant".equals(this.code) || "invalid_token".equals(this.code);
	}

	/**
	 * Whether the request certainly never reached the server: no connection could be made
	 * (refused, connect timeout, unknown host, no route, a proxy that would not connect)
	 * or the TLS handshake failed, so no byte of the request was sent. Any other failure,
	 * a timeout after connecting included, may have come after the server received the
	 * request.
	 * @return whether the request was never sent
	 */
	public boolean isRequestNotSent() {
		return this.requestNotSent;
	}

	/**
	 * The settings of the library that may fix or explain this failure, such as
	 * {@link C2MSetting#BLOCKING_TIMEOUT} for a wait that ran out. An adapter maps them
	 * to its own configuration keys; the message names them only in the core's terms.
	 * @return the settings, in their declaration order, possibly empty
	 */
	public Set<C2MSetting> getSettings() {
		return this.settings;
	}

	/**
	 * Whether the same call may succeed later: no answer, a 5xx or a 429.
	 * @return whether this failure is transient
	 */
	public boolean isTransient() {
		return this.status == 0 || this.status == 429 || this.status >= 500;
	}

}
