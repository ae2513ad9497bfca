package io.github.c2mspring.auth.security;

import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.token.C2MTokenManager;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.util.Assert;

/**
 * An {@link OAuth2AuthorizedClientProvider} for
 * {@link C2MAuthorizationGrantType#LONG_TERM_TOKEN_EXCHANGE}: it authorizes a client with
 * the {@link C2MTokenManager}'s short-term token for the requested scope set (the
 * registration's scopes when none are requested), which the manager exchanges only when
 * needed. It blocks the calling thread while an exchange is in flight; reactive
 * applications use {@link C2MReactiveAuthorizedClientProvider}. While the manager hands
 * out the same token, the same {@link OAuth2AuthorizedClient} is returned (it is
 * immutable), so a cache hit builds nothing.
 * <p>
 * Failures surface as {@link io.github.c2mspring.auth.C2MAuthException}, with the
 * server's code, status and {@code Retry-After}.
 */
public final class C2MAuthorizedClientProvider implements OAuth2AuthorizedClientProvider {

	private final @Nullable String registrationId;

	private final C2MTokenManager tokenManager;

	private final RegistrationScopes scopes;

	private final LastAuthorizedClient lastClient = new LastAuthorizedClient();

	/**
	 * Create a provider.
	 * @param tokenManager the token manager
	 */
	public C2MAuthorizedClientProvider(C2MTokenManager tokenManager) {
		this(null, tokenManager);
	}

	/**
	 * Create a provider for one registration, so that several, each with the manager of
	 * its own account, can be delegated to in turn.
	 * @param registrationId the registration it serves ({@code null} for any of the
	 * exchange)
	 * @param tokenManager the token manager of that registration's account
	 */
	public C2MAuthorizedClientProvider(@Nullable String registrationId, C2MTokenManager tokenManager) {
		Assert.notNull(tokenManager, "tokenManager must not be null");
		this.registrationId = registrationId;
		this.tokenManager = tokenManager;
		this.scopes = new RegistrationScopes(tokenManager.getDefaultScopes());
	}

	@Override
	public @Nullable OAuth2AuthorizedClient authorize(OAuth2AuthorizationContext context) {
		Assert.notNull(context, "context must not be null");
		if (!C2MAuthorizedClients.supports(context, this.registrationId)) {
			return null;
		}
		ShortTermToken token = this.tokenManager.getShortTermTokenBlocking(this.scopes.of(context));
		return this.lastClient.client(context, token);
	}

}
