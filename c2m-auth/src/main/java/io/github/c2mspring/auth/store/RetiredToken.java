package io.github.c2mspring.auth.store;

import java.time.Instant;

import org.springframework.util.Assert;

/**
 * A long-term token that a rotation replaced and that is still to be revoked: it stays
 * valid until {@code revokeAt}, so that instances still using it finish their exchanges
 * and pick up the new token first. Recorded in the store with the new token, so that
 * whichever instance looks after {@code revokeAt} revokes it, even if the one that
 * rotated is gone.
 *
 * @param tokenId the server's id of the retired token
 * @param revokeAt when it may be revoked
 */
public record RetiredToken(String tokenId, Instant revokeAt) {

	public RetiredToken {
		Assert.hasText(tokenId, "tokenId must not be empty");
		Assert.notNull(revokeAt, "revokeAt must not be null");
	}

	/**
	 * Whether the grace period is over.
	 * @param now the current time
	 * @return whether the token may be revoked now
	 */
	public boolean isDue(Instant now) {
		return !now.isBefore(this.revokeAt);
	}

}
