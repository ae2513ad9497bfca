package io.github.c2mspring.auth.token;

import io.github.c2mspring.auth.LongTermToken;
import reactor.core.publisher.Mono;

/**
 * Where the long-term token comes from: issued from a credential, or provisioned
 * beforehand.
 */
public interface LongTermTokenSource {

	/**
	 * Obtain a long-term token. For a credential this issues a new one (a call to the
	 * server); for a pre-provisioned token it returns that token.
	 * @return the token
	 */
	Mono<LongTermToken> obtain();

	/**
	 * Whether {@link #obtain()} can produce a token other than the one it produced last.
	 * @return whether a new token can be issued
	 */
	boolean canIssue();

	/**
	 * A short description of the source, naming no secret (for health details and logs).
	 * @return the description, such as {@code client-secret}
	 */
	String description();

	/**
	 * Learn that the server refused a token this source produced (revoked or expired), so
	 * that the next {@link #obtain()} does not return it again.
	 * @param refused the refused token
	 */
	default void invalidate(LongTermToken refused) {
	}

}
