package io.github.c2mspring.auth.token;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.model.ShortTokenRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * The exchange of the long-term token for a short-term token of a scope set, the work of
 * a short-term {@link Refresher}. A 401 means the long-term token was refused: it is
 * replaced once (adopted from the store or issued) and the exchange repeated once.
 */
final class ShortTermExchange {

	private static final Log logger = LogFactory.getLog(C2MTokenManager.class);

	private final C2MAuthClient client;

	private final LongTermMaintainer longTerm;

	private final TokenRules rules;

	ShortTermExchange(C2MAuthClient client, LongTermMaintainer longTerm, TokenRules rules) {
		this.client = client;
		this.longTerm = longTerm;
		this.rules = rules;
	}

	/**
	 * Obtain a short-term token.
	 * @param scopes the normalized scopes (empty for the long-term token's own)
	 * @return the token
	 */
	Mono<ShortTermToken> exchange(Set<String> scopes) {
		return this.longTerm.get()
			.flatMap((longTermToken) -> exchange(longTermToken, scopes).onErrorResume(C2MAuthException.class,
					(ex) -> (ex.getStatus() != 401) ? Mono.error(ex) : this.longTerm.replacement(ex, longTermToken)
						.flatMap((replacement) -> exchange(replacement, scopes))));
	}

	private Mono<ShortTermToken> exchange(LongTermToken longTermToken, Set<String> scopes) {
		return Mono.defer(() -> {
			Instant requestedAt = this.rules.tokenClock().instant();
			ShortTokenRequest request = scopes.isEmpty() ? ShortTokenRequest.defaultScopes()
					: ShortTokenRequest.narrowedTo(List.copyOf(scopes));
			return this.client.exchange(longTermToken.tokenValue(), request)
				.map((response) -> new ShortTermToken(response.accessToken(), response.tokenId(),
						Set.copyOf(response.scopes()), requestedAt, LongTermRotation.expiry(response, requestedAt)))
				.doOnNext((token) -> {
					this.rules.statistics().exchanges.increment();
					this.longTerm.proven(longTermToken);
					if (logger.isDebugEnabled()) {
						logger.debug("Exchanged the C2M long-term token " + longTermToken.tokenId()
								+ " for short-term token " + token.tokenId() + " (scopes " + token.scopes()
								+ ", expires " + token.expiresAt() + ")");
					}
				})
				.doOnError((ex) -> this.rules.statistics().exchangeFailures.increment());
		});
	}

}
