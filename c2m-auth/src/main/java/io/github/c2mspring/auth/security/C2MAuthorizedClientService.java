package io.github.c2mspring.auth.security;

import java.util.Map;
import java.util.Set;

import io.github.c2mspring.auth.token.C2MTokenManager;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.util.Assert;

/**
 * An {@link OAuth2AuthorizedClientService} that stores nothing, so that the
 * {@link C2MTokenManager} stays the one store of short-term tokens: the token belongs to
 * the application, not to whichever user is logged in, and one principal-keyed entry
 * could not hold a token per scope set. Loading finds nothing (the provider then asks the
 * manager, which serves its cache without a remote call); removing, which Spring Security
 * does when the API refuses a token, evicts the manager's token for the default scopes.
 */
public final class C2MAuthorizedClientService implements OAuth2AuthorizedClientService {

	private final Map<String, C2MTokenManager> tokenManagers;

	/**
	 * Create a service for the registration
	 * {@value C2MClientRegistrations#REGISTRATION_ID}.
	 * @param tokenManager the token manager
	 */
	public C2MAuthorizedClientService(C2MTokenManager tokenManager) {
		this(Map.of(C2MClientRegistrations.REGISTRATION_ID, tokenManager));
	}

	/**
	 * Create a service for several accounts.
	 * @param tokenManagers the token manager of each registration id
	 */
	public C2MAuthorizedClientService(Map<String, C2MTokenManager> tokenManagers) {
		Assert.notEmpty(tokenManagers, "tokenManagers must not be empty");
		this.tokenManagers = Map.copyOf(tokenManagers);
	}

	@Override
	public <T extends OAuth2AuthorizedClient> @Nullable T loadAuthorizedClient(String clientRegistrationId,
			String principalName) {
		return null;
	}

	@Override
	public void saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, Authentication principal) {
		// the token manager holds the token already
	}

	@Override
	public void removeAuthorizedClient(String clientRegistrationId, String principalName) {
		C2MTokenManager tokenManager = this.tokenManagers.get(clientRegistrationId);
		if (tokenManager != null) {
			tokenManager.evictions().evict(Set.of(), null);
		}
	}

}
