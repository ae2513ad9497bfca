package io.github.c2mspring.auth.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

	private final Map<String, C2MTokenManager> tokenManagers;

	/** The client saved last, by registration id. */
	private final Map<String, Saved> saved = new ConcurrentHashMap<>();

	/**
	 * Create a service.
	 * @param tokenManager the token manager
	 */
	public C2MReactiveAuthorizedClientService(C2MTokenManager tokenManager) {
		this(Map.of(C2MClientRegistrations.REGISTRATION_ID, tokenManager));
	}

	/**
	 * Create a service for several accounts.
	 * @param tokenManagers the token manager of each registration id
	 */
	public C2MReactiveAuthorizedClientService(Map<String, C2MTokenManager> tokenManagers) {
		Assert.notEmpty(tokenManagers, "tokenManagers must not be empty");
		this.tokenManagers = Map.copyOf(tokenManagers);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T extends OAuth2AuthorizedClient> Mono<T> loadAuthorizedClient(String clientRegistrationId,
			String principalName) {
		Saved saved = this.saved.get(clientRegistrationId);
		C2MTokenManager tokenManager = this.tokenManagers.get(clientRegistrationId);
		if (saved == null || tokenManager == null || !saved.principalName.equals(principalName)) {
			return Mono.empty();
		}
		ShortTermToken held = HeldTokens.now(tokenManager.getShortTermToken(saved.scopes));
		return (held != null && HeldTokens.carries(saved.client, held)) ? (Mono<T>) saved.mono : Mono.empty();
	}

	@Override
	public Mono<Void> saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, Authentication principal) {
		Assert.notNull(authorizedClient, "authorizedClient must not be null");
		Assert.notNull(principal, "principal must not be null");
		String registrationId = authorizedClient.getClientRegistration().getRegistrationId();
		C2MTokenManager tokenManager = this.tokenManagers.get(registrationId);
		if (tokenManager != null) {
			Set<String> scopes = authorizedClient.getClientRegistration().getScopes();
			this.saved.put(registrationId, new Saved(principal.getName(),
					scopes.equals(tokenManager.getDefaultScopes()) ? List.of() : scopes, authorizedClient));
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> removeAuthorizedClient(String clientRegistrationId, String principalName) {
		return Mono.fromRunnable(() -> {
			this.saved.remove(clientRegistrationId);
			C2MTokenManager tokenManager = this.tokenManagers.get(clientRegistrationId);
			if (tokenManager != null) {
				tokenManager.evictions().evict(Set.of(), null);
			}
		});
	}

	private static final class Saved {

		private final String principalName;

		private final Collection<String> scopes;

		private final OAuth2AuthorizedClient client;

		private final Mono<OAuth2AuthorizedClient> mono;

		private Saved(String principalName, Collection<String> scopes, OAuth2AuthorizedClient client) {
			this.principalName = principalName;
			this.scopes = scopes;
			this.client = client;
			this.mono = Mono.just(client);
		}

	}

}
