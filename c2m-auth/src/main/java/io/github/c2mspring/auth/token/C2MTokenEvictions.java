package io.github.c2mspring.auth.token;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * Makes a {@link C2MTokenManager} forget tokens it holds: short-term tokens the API
 * refused, tokens that were revoked, and every short-term token at shutdown. Reached
 * through {@link C2MTokenManager#evictions()}; the next caller that needs a forgotten
 * token obtains a new one.
 */
public final class C2MTokenEvictions {

	private static final Log logger = LogFactory.getLog(C2MTokenManager.class);

	private final C2MAuthClient client;

	private final TokenRules rules;

	private final LongTermMaintainer longTerm;

	private final ShortTermTokenCache shortTerm;

	private final RefusedTokens refusedTokens = new RefusedTokens(64);

	C2MTokenEvictions(C2MAuthClient client, TokenRules rules, LongTermMaintainer longTerm,
			ShortTermTokenCache shortTerm) {
		this.client = client;
		this.rules = rules;
		this.longTerm = longTerm;
		this.shortTerm = shortTerm;
	}

	/**
	 * Forget a short-term token the API refused (for example with a 401), so that the
	 * next caller obtains a new one. Does nothing if another token has replaced it
	 * already.
	 * @param scopes the scopes it was obtained for (empty for the default scopes)
	 * @param tokenValue the value of the refused token, or {@code null} for whatever is
	 * held
	 */
	public void evict(Collection<String> scopes, @Nullable String tokenValue) {
		Refresher<ShortTermToken> refresher = this.shortTerm.find(scopes);
		if (refresher != null) {
			refresher.evict(tokenValue);
		}
	}

	/**
	 * Forget a short-term token the API refused, whatever scope set it was obtained for.
	 * @param tokenValue the value of the refused token
	 */
	public void evictValue(String tokenValue) {
		Assert.hasText(tokenValue, "tokenValue must not be empty");
		this.shortTerm.entries().forEach((entry) -> entry.getValue().evict(tokenValue));
	}

	/**
	 * Forget every token held with this id, because it was revoked: a short-term token of
	 * any scope set (the next caller exchanges anew), or the long-term token, which is
	 * then treated as refused by the server: the next use adopts a replacement another
	 * instance stored, or issues one where the source can. Tokens held with another id
	 * are kept.
	 * @param tokenId the id of the revoked token
	 */
	public void evictRevoked(String tokenId) {
		Assert.hasText(tokenId, "tokenId must not be empty");
		this.shortTerm.entries().forEach((entry) -> entry.getValue().evictId(tokenId));
		LongTermToken held = this.longTerm.current();
		if (held != null && tokenId.equals(held.tokenId())) {
			this.longTerm.refused(held, true);
		}
	}

	/**
	 * Learn that the API refused a short-term token as invalid ({@code invalid_token}).
	 * The first report of a value evicts it (with {@code evict}), so that the next caller
	 * obtains a new token; a later report of the same value evicts nothing, so that any
	 * number of refusals of one token costs at most one exchange. Without {@code evict}
	 * the value is only remembered: for a token obtained just after an eviction and
	 * refused at once, where another exchange would not help.
	 * @param tokenValue the value of the refused token
	 * @param evict whether to evict it, the first time, if it is still held
	 * @return whether the value had not been reported before
	 */
	public boolean refused(String tokenValue, boolean evict) {
		Assert.hasText(tokenValue, "tokenValue must not be empty");
		synchronized (this.refusedTokens) {
			boolean first = this.refusedTokens.add(tokenValue);
			if (first && evict) {
				evictValue(tokenValue);
			}
			return first;
		}
	}

	/**
	 * Whether the API refused a short-term token value as invalid lately (see
	 * {@link #refused(String, boolean)}); the last 64 values reported are remembered.
	 * @param tokenValue the token value
	 * @return whether it was refused
	 */
	public boolean isRefused(String tokenValue) {
		Assert.hasText(tokenValue, "tokenValue must not be empty");
		return this.refusedTokens.contains(tokenValue);
	}

	/**
	 * Revoke every short-term token held, authorized by the long-term token (which needs
	 * {@code tokens:revoke}), and forget them. Failures are logged, not thrown.
	 * @return completion, once every revocation answered or failed
	 */
	public Mono<Void> revokeShortTermTokens() {
		LongTermToken authority = this.longTerm.current();
		if (authority == null) {
			return Mono.empty();
		}
		List<Mono<Void>> revocations = new ArrayList<>();
		for (Map.Entry<Set<String>, Refresher<ShortTermToken>> entry : this.shortTerm.entries()) {
			ShortTermToken token = entry.getValue().token();
			if (token != null && token.tokenId() != null) {
				entry.getValue().replace(token, null);
				revocations.add(this.client.revoke(token.tokenId(), authority.tokenValue())
					.doOnSuccess((done) -> this.rules.events()
						.publish(C2MTokenEvent.Type.TOKEN_REVOKED, token.tokenId(), null))
					.onErrorResume((ex) -> {
						logger.warn("Could not revoke the C2M short-term token " + token.tokenId() + ": "
								+ ex.getMessage());
						return Mono.empty();
					}));
			}
		}
		return Mono.when(revocations);
	}

}
