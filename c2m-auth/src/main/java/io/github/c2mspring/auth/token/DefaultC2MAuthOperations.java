package io.github.c2mspring.auth.token;

import java.util.Collection;
import java.util.Optional;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.LongTermTokenInfo;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.model.LongTokenResponse;
import io.github.c2mspring.auth.model.ShortTokenRequest;
import io.github.c2mspring.auth.model.ShortTokenResponse;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * {@link C2MAuthOperations} over a {@link C2MAuthClient} for the endpoints and a
 * {@link C2MTokenManager} for the managed tokens. Every call waits at most the manager's
 * {@link TokenExecution#getBlockingTimeout() blocking timeout}.
 */
public final class DefaultC2MAuthOperations implements C2MAuthOperations {

	private final C2MAuthClient client;

	private final C2MTokenManager tokenManager;

	/**
	 * Create the operations.
	 * @param client the auth client
	 * @param tokenManager the token manager
	 */
	public DefaultC2MAuthOperations(C2MAuthClient client, C2MTokenManager tokenManager) {
		Assert.notNull(client, "client must not be null");
		Assert.notNull(tokenManager, "tokenManager must not be null");
		this.client = client;
		this.tokenManager = tokenManager;
	}

	@Override
	public LongTokenResponse issueLongTermToken(LongTokenRequest request) {
		return block(this.client.issueLongTermToken(request), C2MOperation.ISSUE_LONG_TERM_TOKEN);
	}

	@Override
	public LongTokenResponse rotateLongTermToken(LongTokenRequest request, String shortTermToken) {
		return block(this.client.rotateLongTermToken(request, shortTermToken), C2MOperation.ROTATE_LONG_TERM_TOKEN);
	}

	@Override
	public ShortTokenResponse exchange(String longTermToken, ShortTokenRequest request) {
		return block(this.client.exchange(longTermToken, request), C2MOperation.EXCHANGE_SHORT_TERM_TOKEN);
	}

	@Override
	public void revokeToken(String tokenId, String bearerToken) {
		Assert.hasText(tokenId, "tokenId must not be empty");
		block(this.client.revoke(tokenId, bearerToken), C2MOperation.REVOKE_TOKEN);
		this.tokenManager.evictions().evictRevoked(tokenId);
	}

	@Override
	public void revokeToken(String tokenId) {
		Assert.hasText(tokenId, "tokenId must not be empty");
		block(this.tokenManager.getLongTermToken()
			.flatMap((longTerm) -> this.client.revoke(tokenId, longTerm.tokenValue())), C2MOperation.REVOKE_TOKEN);
		this.tokenManager.evictions().evictRevoked(tokenId);
	}

	@Override
	public ShortTermToken getShortTermToken() {
		return this.tokenManager.getShortTermTokenBlocking();
	}

	@Override
	public ShortTermToken getShortTermToken(Collection<String> scopes) {
		return this.tokenManager.getShortTermTokenBlocking(scopes);
	}

	@Override
	public LongTermTokenInfo getLongTermTokenInfo() {
		return LongTermTokenInfo.of(block(this.tokenManager.getLongTermToken(), C2MOperation.ISSUE_LONG_TERM_TOKEN),
				sourceDescription());
	}

	@Override
	public Optional<LongTermTokenInfo> currentLongTermTokenInfo() {
		return this.tokenManager.diagnostics()
			.currentLongTermToken()
			.map((token) -> LongTermTokenInfo.of(token, sourceDescription()));
	}

	@Override
	public String revealLongTermTokenValue() {
		return block(this.tokenManager.getLongTermToken(), C2MOperation.ISSUE_LONG_TERM_TOKEN).tokenValue();
	}

	private String sourceDescription() {
		return this.tokenManager.getLongTermTokenSource().description();
	}

	private <T> T block(Mono<T> mono, C2MOperation operation) {
		return this.tokenManager.getExecution().block(mono, operation);
	}

	@Override
	public String toString() {
		return "DefaultC2MAuthOperations[defaultScopes=" + this.tokenManager.getDefaultScopes() + "]";
	}

}
