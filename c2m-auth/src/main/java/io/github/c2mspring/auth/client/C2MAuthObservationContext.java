package io.github.c2mspring.auth.client;

import io.github.c2mspring.auth.C2MOperation;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The context of the observation of one call to a Click2Mail auth endpoint, what a
 * {@link C2MAuthObservationConvention} reads to name the observation and its key values.
 * It carries the operation, the client id (when the client knows it), and, as the call
 * proceeds, the HTTP status, the error code and the outcome. It never carries a secret:
 * no request or response body, no header, no token value.
 * <p>
 * The client fills it in; a convention only reads it.
 */
public final class C2MAuthObservationContext extends Observation.Context {

	private final C2MOperation operation;

	private final @Nullable String clientId;

	private final @Nullable String clientName;

	private volatile int status;

	private volatile @Nullable String errorCode;

	private volatile @Nullable Outcome outcome;

	/**
	 * Create a context for a call that has not started.
	 * @param operation the operation called
	 * @param clientId the Click2Mail client id, or {@code null} when the client does not
	 * know it
	 */
	public C2MAuthObservationContext(C2MOperation operation, @Nullable String clientId) {
		this(operation, clientId, null);
	}

	/**
	 * Create a context for a call of a named account that has not started.
	 * @param operation the operation called
	 * @param clientId the Click2Mail client id, or {@code null} when the client does not
	 * know it
	 * @param clientName the name of the account the call is made for, {@code null} in an
	 * application with one account
	 */
	public C2MAuthObservationContext(C2MOperation operation, @Nullable String clientId, @Nullable String clientName) {
		Assert.notNull(operation, "operation must not be null");
		this.operation = operation;
		this.clientId = clientId;
		this.clientName = clientName;
	}

	/**
	 * The name of the account the call is made for, in an application with several
	 * ({@code default} for the one configured without a name).
	 * @return the name, or {@code null} in an application with one account
	 */
	public @Nullable String getClientName() {
		return this.clientName;
	}

	/**
	 * The operation called.
	 * @return the operation
	 */
	public C2MOperation getOperation() {
		return this.operation;
	}

	/**
	 * The Click2Mail client id the call is made for.
	 * @return the client id, or {@code null} when the client does not know it
	 */
	public @Nullable String getClientId() {
		return this.clientId;
	}

	/**
	 * The HTTP status of the answer.
	 * @return the status, or {@code 0} while there is no answer (and when none came)
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * The error code of a failed call: the server's {@code AuthError} code, or one of
	 * {@link io.github.c2mspring.auth.C2MAuthException#UNKNOWN_CODE},
	 * {@link io.github.c2mspring.auth.C2MAuthException#TRANSPORT_CODE} and
	 * {@link io.github.c2mspring.auth.C2MAuthException#INVALID_RESPONSE_CODE}.
	 * @return the code, or {@code null} for a call that did not fail (or has not
	 * finished)
	 */
	public @Nullable String getErrorCode() {
		return this.errorCode;
	}

	/**
	 * How the call ended.
	 * @return the outcome, or {@code null} while the call is in progress
	 */
	public @Nullable Outcome getOutcome() {
		return this.outcome;
	}

	void setStatus(int status) {
		this.status = status;
	}

	/**
	 * Record how the call ended, once.
	 * @return whether this was the first end recorded
	 */
	synchronized boolean finish(Outcome outcome, @Nullable String errorCode) {
		if (this.outcome != null) {
			return false;
		}
		this.errorCode = errorCode;
		this.outcome = outcome;
		return true;
	}

	/**
	 * How a call ended.
	 */
	public enum Outcome {

		/** A success answer, read and valid. */
		SUCCESS,

		/** A 4xx answer. */
		CLIENT_ERROR,

		/** A 5xx answer. */
		SERVER_ERROR,

		/** No answer: connection, TLS or timeout. */
		TRANSPORT_ERROR,

		/** A success answer that is not what the contract promises. */
		INVALID_RESPONSE,

		/** The caller cancelled the call. */
		CANCELLED

	}

}
