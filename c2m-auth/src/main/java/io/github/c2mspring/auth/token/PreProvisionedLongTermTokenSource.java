package io.github.c2mspring.auth.token;

import java.util.Set;

import io.github.c2mspring.auth.C2MCredential.PreProvisionedToken;
import io.github.c2mspring.auth.LongTermToken;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * A long-term token provisioned beforehand (a {@link PreProvisionedToken} credential).
 * Its id, scopes and expiry are not known to the starter.
 */
public final class PreProvisionedLongTermTokenSource implements LongTermTokenSource {

	private final LongTermToken token;

	/**
	 * Create a source for a provisioned token.
	 * @param credential the provisioned token
	 */
	public PreProvisionedLongTermTokenSource(PreProvisionedToken credential) {
		Assert.notNull(credential, "credential must not be null");
		this.token = new LongTermToken(credential.token(), null, Set.of(), null, null);
	}

	@Override
	public Mono<LongTermToken> obtain() {
		return Mono.just(this.token);
	}

	@Override
	public boolean canIssue() {
		return false;
	}

	@Override
	public String description() {
		return "long-term-token";
	}

}
