package io.github.c2mspring.emulator;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The clients registered on the emulator.
 */
public final class Clients {

	/**
	 * The scopes a client may have unless {@link Client#allowedScopes(String...)} says
	 * otherwise.
	 */
	public static final List<String> DEFAULT_ALLOWED_SCOPES = List.of("jobs:submit", "templates:read", "tokens:write",
			"tokens:revoke");

	private final Map<String, Client> clients = new ConcurrentHashMap<>();

	Clients() {
	}

	/**
	 * Register a client (or return the one registered under that id).
	 * @param clientId the client id
	 * @return the client, to configure
	 */
	public Client register(String clientId) {
		Objects.requireNonNull(clientId, "clientId");
		return this.clients.computeIfAbsent(clientId, Client::new);
	}

	@Nullable Client find(@Nullable String clientId) {
		return (clientId != null) ? this.clients.get(clientId) : null;
	}

	/**
	 * A registered client and its credentials.
	 */
	public static final class Client {

		private final String id;

		private volatile @Nullable String secret;

		private final Set<String> otps = Collections.synchronizedSet(new LinkedHashSet<>());

		private volatile @Nullable PublicKey publicKey;

		private volatile List<String> allowedScopes = DEFAULT_ALLOWED_SCOPES;

		private volatile @Nullable List<String> defaultScopes;

		Client(String id) {
			this.id = id;
		}

		/**
		 * Set the client secret.
		 * @param secret the secret
		 * @return this
		 */
		public Client secret(String secret) {
			this.secret = secret;
			return this;
		}

		/**
		 * Add a one-time code, valid for one issuance.
		 * @param code the code
		 * @return this
		 */
		public Client otp(String code) {
			this.otps.add(code);
			return this;
		}

		/**
		 * Set the public key that verifies the client's assertions (RSA for RS256, EC
		 * P-256 for ES256).
		 * @param publicKey the key
		 * @return this
		 */
		public Client publicKey(PublicKey publicKey) {
			this.publicKey = publicKey;
			return this;
		}

		/**
		 * Set the scopes the client may be granted ({@code prefix:*} covers every
		 * {@code prefix:...}).
		 * @param scopes the scopes
		 * @return this
		 */
		public Client allowedScopes(String... scopes) {
			this.allowedScopes = List.of(scopes);
			return this;
		}

		/**
		 * Set the scopes of a long-term token when the request names none (default: all
		 * allowed scopes).
		 * @param scopes the scopes
		 * @return this
		 */
		public Client defaultScopes(String... scopes) {
			this.defaultScopes = List.of(scopes);
			return this;
		}

		String id() {
			return this.id;
		}

		@Nullable String secretValue() {
			return this.secret;
		}

		boolean useOtp(String code) {
			return this.otps.remove(code);
		}

		@Nullable PublicKey publicKeyValue() {
			return this.publicKey;
		}

		List<String> allowed() {
			return this.allowedScopes;
		}

		List<String> defaults() {
			List<String> scopes = this.defaultScopes;
			return (scopes != null) ? scopes : new ArrayList<>(this.allowedScopes);
		}

		@Override
		public String toString() {
			return "Client[" + this.id + ", credentials masked]";
		}

	}

}
