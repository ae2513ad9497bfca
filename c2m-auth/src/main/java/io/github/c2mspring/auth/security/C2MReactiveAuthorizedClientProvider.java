package io.github.c2mspring.auth.security;

import io.github.c2mspring.auth.token.C2MTokenManager;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProvider;
import org.springframework.util.Assert;

/**
 * The reactive twin of {@link C2MAuthorizedClientProvider}: it never blocks.
 */
public final class C2MReactiveAuthorizedClientProvider implements ReactiveOAuth2AuthorizedClientProvider {

	private final C2MTokenManager tokenManager;

	/**
	 * Create a provider.
	 * @param tokenManager the token manager
	 */
	public C2MReactiveAuthorizedClientProvider(C2MTokenManager tokenManager) {
		Assert.notNull(tokenManager, "tokenManager must not be null");
		this.tokenManager = tokenManager;
	}

	@Override
	public Mono<OAuth2AuthorizedClient> authorize(OAuth2AuthorizationContext context) {
		Assert.notNull(context, "context must not be null");
		if (!C2MAuthorizedClients.supports(context)) {
			return Mono.empty();
		}
		return this.tokenManager.getShortTermToken(C2MAuthorizedClients.requestedScopes(context))
			.map((token) -> C2MAuthorizedClients.authorizedClient(context, token));
	}

}
