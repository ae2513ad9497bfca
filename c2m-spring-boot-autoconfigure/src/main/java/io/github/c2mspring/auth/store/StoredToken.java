package io.github.c2mspring.auth.store;

import io.github.c2mspring.auth.LongTermToken;

import org.springframework.util.Assert;

/**
 * A long-term token as a store holds it, with the version that compare-and-set updates check.
 *
 * @param token the token
 * @param version the row version (1 for the first token stored, then one more per update)
 */
public record StoredToken(LongTermToken token, long version) {

	public StoredToken {
		Assert.notNull(token, "token must not be null");
		Assert.isTrue(version > 0, "version must be positive");
	}

}
