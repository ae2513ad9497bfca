package io.github.c2mspring.auth.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.token.C2MTokenManager;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.util.Assert;

/**
 * The reactive twin of {@link C2MAuthorizedClientService}, which also keeps the last
 * authorized client the manager saved, and loads it again for as long as it carries the
 * very token the {@link C2MTokenManager} holds for its registration's scopes: the manager
 * then finds the client loaded, {@link C2MReactiveAuthorizedClientProvider} has nothing
 * to do, and a cache hit takes the same short path through Spring Security's manager as
 * with its own in-memory service. Once the manager holds another token (a refresh, an
 * eviction), it loads nothing and the provider authorizes anew. One client is kept, for
 * one registration and principal name: callers that alternate between them load nothing,
 * and are served by the provider as before.
 */
public final class C2MReactiveAuthorizedClientService implements ReactiveOAuth2AuthorizedClientService {

	private final C2MTokenManager tokenManager;

	private volatile @Nullable Saved saved;

	/**
	 * Create a service.
	 * @param tokenManager the token manager
	 */
	public C2MReactiveAuthorizedClientService(C2MTokenManager tokenManager) {
		Assert.notNull(tokenManager, "tokenManager must not be null");
		this.tokenManager = tokenManager;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T extends OAuth2AuthorizedClient> Mono<T> loadAuthorizedClient(String clientRegistrationId,
			String principalName) {
		Saved saved = this.saved;
		if (saved == null || !saved.registrationId.equals(clientRegistrationId)
				|| !saved.principalName.equals(principalName)) {
			return Mono.empty();
		}
		ShortTermToken held = HeldTokens.now(this.tokenManager.getShortTermToken(saved.scopes));
		return (held != null && HeldTokens.carries(saved.client, held)) ? (Mono<T>) saved.mono : Mono.empty();
	}

	@Override
	public Mono<Void> saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, Authentication principal) {
		Assert.notNull(authorizedClient, "authorizedClient must not be null");
		Assert.notNull(principal, "principal must not be null");
		Set<String> scopes = authorizedClient.getClientRegistration().getScopes();
		this.saved = new Saved(authorizedClient.getClientRegistration().getRegistrationId(), principal.getName(),
				scopes.equals(this.tokenManager.getDefaultScopes()) ? List.of() : scopes, authorizedClient);
		return Mono.empty();
	}

	@Override
	public Mono<Void> removeAuthorizedClient(String clientRegistrationId, String principalName) {
		return Mono.fromRunnable(() -> {
			Saved saved = this.saved;
			if (saved != null && saved.registrationId.equals(clientRegistrationId)) {
				this.saved = null;
			}
			if (C2MClientRegistrations.REGISTRATION_ID.equals(clientRegistrationId)) {
				this.tokenManager.evictions().evict(Set.of(), null);
			}
		});
	}

	private static final class Saved {

		private final String registrationId;

		private final String principalName;

		private final Collection<String> scopes;

		private final OAuth2AuthorizedClient client;

		private final Mono<OAuth2AuthorizedClient> mono;

		private Saved(String registrationId, String principalName, Collection<String> scopes,
				OAuth2AuthorizedClient client) {
			this.registrationId = registrationId;
			this.principalName = principalName;
			this.scopes = scopes;
			this.client = client;
			this.mono = Mono.just(client);
		}

	}

}
