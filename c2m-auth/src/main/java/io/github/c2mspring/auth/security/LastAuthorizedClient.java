package io.github.c2mspring.auth.security;

import io.github.c2mspring.auth.ShortTermToken;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;

/**
 * The {@link OAuth2AuthorizedClient} a provider built last, reused for as long as the
 * manager hands out the same short-term token (by identity) for the same registration and
 * principal name, so that a cache hit builds nothing. One immutable entry, replaced as a
 * whole when any of the three changes: callers that alternate between scope sets or
 * principals build a client per call, as they did before.
 */
final class LastAuthorizedClient {

	private volatile @Nullable Entry last;

	/**
	 * The authorized client of a token for the context's registration and principal.
	 * @param context the authorization context
	 * @param token the token the manager handed out
	 * @return the client, reused when it is the last one built
	 */
	OAuth2AuthorizedClient client(OAuth2AuthorizationContext context, ShortTermToken token) {
		return entry(context, token).client;
	}

	/**
	 * The same client, as a {@code Mono} that is built once with it.
	 * @param context the authorization context
	 * @param token the token the manager handed out
	 * @return the client, reused when it is the last one built
	 */
	Mono<OAuth2AuthorizedClient> mono(OAuth2AuthorizationContext context, ShortTermToken token) {
		return entry(context, token).mono;
	}

	private Entry entry(OAuth2AuthorizationContext context, ShortTermToken token) {
		ClientRegistration registration = context.getClientRegistration();
		String principalName = context.getPrincipal().getName();
		Entry entry = this.last;
		if (entry != null && entry.token == token && entry.registration == registration
				&& entry.client.getPrincipalName().equals(principalName)) {
			return entry;
		}
		entry = new Entry(token, registration,
				C2MAuthorizedClients.authorizedClient(registration, principalName, token));
		this.last = entry;
		return entry;
	}

	private static final class Entry {

		private final ShortTermToken token;

		private final ClientRegistration registration;

		private final OAuth2AuthorizedClient client;

		private final Mono<OAuth2AuthorizedClient> mono;

		private Entry(ShortTermToken token, ClientRegistration registration, OAuth2AuthorizedClient client) {
			this.token = token;
			this.registration = registration;
			this.client = client;
			this.mono = Mono.just(client);
		}

	}

}
