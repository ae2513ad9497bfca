package io.github.c2mspring.auth.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.util.Assert;

/**
 * The scopes a provider asks the token manager for: those of the request's
 * {@link OAuth2AuthorizationContext#REQUEST_SCOPE_ATTRIBUTE_NAME scope attribute}, else
 * those of the client registration. A registration whose scopes are the manager's default
 * scopes asks for the default scope set (an empty collection), which the manager finds
 * without building or hashing a key. The answer for a registration is remembered by the
 * registration's identity: a {@link ClientRegistration} is immutable, so its scopes
 * cannot change under the same instance.
 */
final class RegistrationScopes {

	private final Set<String> defaultScopes;

	private volatile @Nullable Entry last;

	/**
	 * Create the scopes of a provider.
	 * @param defaultScopes the token manager's default scopes
	 */
	RegistrationScopes(Set<String> defaultScopes) {
		Assert.notNull(defaultScopes, "defaultScopes must not be null");
		this.defaultScopes = defaultScopes;
	}

	/**
	 * The scopes to ask the manager for.
	 * @param context the authorization context
	 * @return the requested scopes, empty for the manager's default scope set
	 */
	Collection<String> of(OAuth2AuthorizationContext context) {
		String[] requested = context.getAttribute(OAuth2AuthorizationContext.REQUEST_SCOPE_ATTRIBUTE_NAME);
		if (requested != null && requested.length > 0) {
			return Arrays.asList(requested);
		}
		ClientRegistration registration = context.getClientRegistration();
		Entry entry = this.last;
		if (entry == null || entry.registration != registration) {
			Set<String> scopes = registration.getScopes();
			entry = new Entry(registration, scopes.equals(this.defaultScopes) ? List.of() : scopes);
			this.last = entry;
		}
		return entry.scopes;
	}

	private record Entry(ClientRegistration registration, Collection<String> scopes) {
	}

}
