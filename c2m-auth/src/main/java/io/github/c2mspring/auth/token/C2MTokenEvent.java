package io.github.c2mspring.auth.token;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Announces a change in the managed tokens: a long-term token issued, rotated or revoked,
 * or a failure to obtain, rotate or revoke one. Published as an application event by the
 * auto-configured token manager; a listener that throws never breaks the manager. Carries
 * token ids, never token values.
 */
public class C2MTokenEvent extends ApplicationEvent {

	private final String client;

	private final Type type;

	private final @Nullable String tokenId;

	private final @Nullable String previousTokenId;

	private final @Nullable C2MOperation operation;

	private final @Nullable C2MAuthException exception;

	/**
	 * Create an event.
	 * @param source the token manager
	 * @param type what happened
	 * @param tokenId the id of the token concerned, or {@code null}
	 * @param previousTokenId the id of the token replaced (rotation), or {@code null}
	 * @param operation the operation that failed, for a failure
	 * @param exception the failure, for a failure
	 */
	public C2MTokenEvent(Object source, Type type, @Nullable String tokenId, @Nullable String previousTokenId,
			@Nullable C2MOperation operation, @Nullable C2MAuthException exception) {
		this(source, C2MTokenManager.DEFAULT_NAME, type, tokenId, previousTokenId, operation, exception);
	}

	/**
	 * Create an event of a named account.
	 * @param source the token manager
	 * @param client the name of the account (see {@link C2MTokenManager#getName()})
	 * @param type what happened
	 * @param tokenId the id of the token concerned, or {@code null}
	 * @param previousTokenId the id of the token replaced (rotation), or {@code null}
	 * @param operation the operation that failed, for a failure
	 * @param exception the failure, for a failure
	 */
	public C2MTokenEvent(Object source, String client, Type type, @Nullable String tokenId,
			@Nullable String previousTokenId, @Nullable C2MOperation operation, @Nullable C2MAuthException exception) {
		super(source);
		this.client = client;
		this.type = type;
		this.tokenId = tokenId;
		this.previousTokenId = previousTokenId;
		this.operation = operation;
		this.exception = exception;
	}

	/**
	 * The account the event concerns.
	 * @return the name of its token manager ({@value C2MTokenManager#DEFAULT_NAME} for
	 * the default account)
	 */
	public String getClient() {
		return this.client;
	}

	public Type getType() {
		return this.type;
	}

	public @Nullable String getTokenId() {
		return this.tokenId;
	}

	public @Nullable String getPreviousTokenId() {
		return this.previousTokenId;
	}

	public @Nullable C2MOperation getOperation() {
		return this.operation;
	}

	public @Nullable C2MAuthException getException() {
		return this.exception;
	}

	@Override
	public String toString() {
		return "C2MTokenEvent[" + (C2MTokenManager.DEFAULT_NAME.equals(this.client) ? "" : this.client + ", ")
				+ this.type + ", tokenId=" + this.tokenId + ", previousTokenId=" + this.previousTokenId
				+ ((this.exception != null) ? ", error=" + this.exception.getCode() : "") + "]";
	}

	/**
	 * What happened.
	 */
	public enum Type {

		/** A long-term token was issued from the credential. */
		LONG_TERM_ISSUED,

		/**
		 * A long-term token was adopted instead of issued: the one in the store (stored
		 * by another instance or an earlier run, after an issuance or a rotation) or the
		 * pre-provisioned one; {@link #getPreviousTokenId()} names the one it replaced,
		 * if any.
		 */
		LONG_TERM_ADOPTED,

		/**
		 * The long-term token was rotated; {@link #getPreviousTokenId()} names the old
		 * one.
		 */
		LONG_TERM_ROTATED,

		/**
		 * A token was revoked (the previous long-term token, a grace period after a
		 * rotation).
		 */
		TOKEN_REVOKED,

		/** Obtaining, exchanging, rotating or revoking a token failed. */
		FAILURE

	}

}
