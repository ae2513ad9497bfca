package io.github.c2mspring.auth.store;

import io.github.c2mspring.auth.LongTermToken;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A long-term token as a store holds it, with the token it replaced if that one awaits
 * revocation, and the version that compare-and-set updates check.
 *
 * @param token the token in use
 * @param retired the token a rotation replaced and that is still to be revoked, or
 * {@code null}
 * @param version the row version (1 for the first token stored, then one more per update)
 */
public record StoredToken(LongTermToken token, @Nullable RetiredToken retired, long version) {

	public StoredToken {
		Assert.notNull(token, "token must not be null");
		Assert.isTrue(version > 0, "version must be positive");
	}

}
