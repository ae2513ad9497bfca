package io.github.c2mspring.auth.security;

import java.util.Set;

import io.github.c2mspring.auth.token.C2MTokenManager;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.util.Assert;

/**
 * The reactive twin of {@link C2MAuthorizedClientService}.
 */
public final class C2MReactiveAuthorizedClientService implements ReactiveOAuth2AuthorizedClientService {

	private final C2MTokenManager tokenManager;

	/**
	 * Create a service.
	 * @param tokenManager the token manager
	 */
	public C2MReactiveAuthorizedClientService(C2MTokenManager tokenManager) {
		Assert.notNull(tokenManager, "tokenManager must not be null");
		this.tokenManager = tokenManager;
	}

	@Override
	public <T extends OAuth2AuthorizedClient> Mono<T> loadAuthorizedClient(String clientRegistrationId,
			String principalName) {
		return Mono.empty();
	}

	@Override
	public Mono<Void> saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, Authentication principal) {
		return Mono.empty();
	}

	@Override
	public Mono<Void> removeAuthorizedClient(String clientRegistrationId, String principalName) {
		return Mono.fromRunnable(() -> {
			if (C2MClientRegistrations.REGISTRATION_ID.equals(clientRegistrationId)) {
				this.tokenManager.evictions().evict(Set.of(), null);
			}
		});
	}

}
