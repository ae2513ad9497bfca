package io.github.c2mspring.auth.security;

import io.github.c2mspring.auth.ShortTermToken;
import org.jspecify.annotations.Nullable;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;

/**
 * What the reactive service and provider ask of the {@code Mono} the token manager
 * answers with: on a cache hit it is a scalar holding the token, readable without a
 * subscription.
 */
final class HeldTokens {

	private HeldTokens() {
	}

	/**
	 * The token of a cache hit.
	 * @param token what the manager answered
	 * @return the token it holds, or {@code null} when it is no cache hit
	 */
	@SuppressWarnings("unchecked")
	static @Nullable ShortTermToken now(Mono<ShortTermToken> token) {
		if (!(token instanceof Fuseable.ScalarCallable<?>)) {
			return null;
		}
		try {
			return ((Fuseable.ScalarCallable<ShortTermToken>) token).call();
		}
		catch (Exception ex) {
			// not a value after all: the caller subscribes as usual
			return null;
		}
	}

	/**
	 * Whether an authorized client carries this very token: its access token was built
	 * from it (the same value instance), not merely from an equal string.
	 * @param client the authorized client
	 * @param token the token the manager holds
	 * @return whether the client carries it
	 */
	@SuppressWarnings("ReferenceEquality")
	static boolean carries(OAuth2AuthorizedClient client, ShortTermToken token) {
		return client.getAccessToken().getTokenValue() == token.tokenValue();
	}

}
