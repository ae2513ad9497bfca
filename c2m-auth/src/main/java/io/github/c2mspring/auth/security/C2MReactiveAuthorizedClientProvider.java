package io.github.c2mspring.auth.security;

import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.token.C2MTokenManager;
import reactor.core.publisher.Mono;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProvider;
import org.springframework.util.Assert;

/**
 * The reactive twin of {@link C2MAuthorizedClientProvider}: it never blocks. On a cache
 * hit it answers with nothing when the context's authorized client (the one
 * {@link C2MReactiveAuthorizedClientService} loaded) carries the token the manager holds,
 * and otherwise with the {@code Mono} of the last {@link OAuth2AuthorizedClient} built
 * for that token, so that nothing is built or assembled per call.
 */
public final class C2MReactiveAuthorizedClientProvider implements ReactiveOAuth2AuthorizedClientProvider {

	private final @Nullable String registrationId;

	private final C2MTokenManager tokenManager;

	private final RegistrationScopes scopes;

	private final LastAuthorizedClient lastClient = new LastAuthorizedClient();

	/**
	 * Create a provider.
	 * @param tokenManager the token manager
	 */
	public C2MReactiveAuthorizedClientProvider(C2MTokenManager tokenManager) {
		this(null, tokenManager);
	}

	/**
	 * Create a provider for one registration, so that several, each with the manager of
	 * its own account, can be delegated to in turn.
	 * @param registrationId the registration it serves ({@code null} for any of the
	 * exchange)
	 * @param tokenManager the token manager of that registration's account
	 */
	public C2MReactiveAuthorizedClientProvider(@Nullable String registrationId, C2MTokenManager tokenManager) {
		Assert.notNull(tokenManager, "tokenManager must not be null");
		this.registrationId = registrationId;
		this.tokenManager = tokenManager;
		this.scopes = new RegistrationScopes(tokenManager.getDefaultScopes());
	}

	@Override
	public Mono<OAuth2AuthorizedClient> authorize(OAuth2AuthorizationContext context) {
		Assert.notNull(context, "context must not be null");
		if (!C2MAuthorizedClients.supports(context, this.registrationId)) {
			return Mono.empty();
		}
		Mono<ShortTermToken> token = this.tokenManager.getShortTermToken(this.scopes.of(context));
		ShortTermToken held = HeldTokens.now(token);
		if (held != null) {
			// a cache hit: the token is known now
			OAuth2AuthorizedClient current = context.getAuthorizedClient();
			if (current != null && HeldTokens.carries(current, held)) {
				// the client the manager loaded carries it: nothing to authorize
				return Mono.empty();
			}
			// a scalar Mono, which the manager's operators take without a subscription
			// of their own
			return this.lastClient.mono(context, held);
		}
		return token.map((obtained) -> this.lastClient.client(context, obtained));
	}

}
