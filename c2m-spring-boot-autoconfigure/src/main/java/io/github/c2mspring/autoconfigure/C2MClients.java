package io.github.c2mspring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.DefaultC2MAuthOperations;
import io.github.c2mspring.auth.token.LongTermTokenSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Every Click2Mail account of the application, by name: {@value #DEFAULT} for the one
 * {@code c2m.*} configures (its parts are the starter's beans, {@code c2mWebClient} and
 * the others), and one per entry of {@code c2m.clients}. Each account has its own token
 * manager (its own tokens, single flights, retry state, store entry, rotation and
 * revocation), auth operations, {@link WebClient} and {@link RestClient}; a named
 * account's parts are built at their first use. <pre class="code">
 * WebClient billing = clients.getWebClient("billing");
 * String token = clients.getOperations("marketing").getAccessToken();
 * </pre>
 */
public final class C2MClients {

	/** The name of the account {@code c2m.*} configures. */
	public static final String DEFAULT = C2MClientSettings.DEFAULT;

	private final List<String> names;

	private final Function<String, C2MProperties> settings;

	private final C2MClientParts parts;

	// resolved once: a caller may look its account's parts up on every request

	private final SingletonSupplier<C2MTokenManager> defaultTokenManager;

	private final SingletonSupplier<C2MAuthOperations> defaultOperations;

	private final SingletonSupplier<C2MClientHttpClients> httpClients;

	private final C2MCreatedTokenManagers createdTokenManagers;

	private final Map<String, Account> accounts = new ConcurrentHashMap<>();

	C2MClients(C2MProperties properties, ConfigurableEnvironment environment, C2MClientParts parts,
			ObjectProvider<C2MTokenManager> defaultTokenManager, ObjectProvider<C2MAuthOperations> defaultOperations,
			ObjectProvider<C2MClientHttpClients> httpClients, C2MCreatedTokenManagers createdTokenManagers) {
		Set<String> names = new LinkedHashSet<>();
		names.add(DEFAULT);
		names.addAll(C2MClientSettings.names(properties));
		this.names = List.copyOf(names);
		this.settings = (name) -> C2MClientSettings.of(environment, name);
		this.parts = parts;
		this.defaultTokenManager = SingletonSupplier.of(defaultTokenManager::getObject);
		this.defaultOperations = SingletonSupplier.of(defaultOperations::getObject);
		this.httpClients = SingletonSupplier.of(httpClients::getIfAvailable);
		this.createdTokenManagers = createdTokenManagers;
	}

	/**
	 * The names of the accounts, {@value #DEFAULT} first, then those of
	 * {@code c2m.clients} in the order they are configured.
	 * @return the names
	 */
	public List<String> getNames() {
		return this.names;
	}

	/**
	 * The Spring Security registration id of an account, which the
	 * {@code OAuth2AuthorizedClientManager} beans serve: {@code c2m} for the default
	 * account, {@code c2m-<name>} for the others.
	 * @param name the account's name
	 * @return its registration id
	 */
	public String getRegistrationId(String name) {
		check(name);
		// as C2MClientRegistrations names them, without needing Spring Security here
		return DEFAULT.equals(name) ? "c2m" : "c2m-" + name;
	}

	/**
	 * The token manager of an account.
	 * @param name the account's name
	 * @return its token manager
	 */
	public C2MTokenManager getTokenManager(String name) {
		check(name);
		return DEFAULT.equals(name) ? this.defaultTokenManager.obtain() : account(name).tokenManager;
	}

	/**
	 * The auth operations of an account.
	 * @param name the account's name
	 * @return its operations
	 */
	public C2MAuthOperations getOperations(String name) {
		check(name);
		return DEFAULT.equals(name) ? this.defaultOperations.obtain() : account(name).operations;
	}

	/**
	 * The {@link WebClient} of an account: its base URL, and a valid short-term token of
	 * its own on every request.
	 * @param name the account's name
	 * @return its client
	 */
	public WebClient getWebClient(String name) {
		return httpClients().webClient(name);
	}

	/**
	 * The {@link RestClient} of an account: its base URL, and a valid short-term token of
	 * its own on every request.
	 * @param name the account's name
	 * @return its client
	 */
	public RestClient getRestClient(String name) {
		return httpClients().restClient(name);
	}

	private C2MClientHttpClients httpClients() {
		C2MClientHttpClients clients = this.httpClients.get();
		Assert.state(clients != null, "The C2M HTTP clients need Spring Security's OAuth2 client "
				+ "(spring-security-oauth2-client) on the classpath");
		return clients;
	}

	/**
	 * The settings of a named account, for the HTTP clients.
	 */
	C2MProperties properties(String name) {
		return account(name).properties;
	}

	/**
	 * The connection details of a named account, for the HTTP clients.
	 */
	C2MConnectionDetails connectionDetails(String name) {
		return account(name).connectionDetails;
	}

	/**
	 * The token managers of every account, by registration id: what the
	 * {@code OAuth2AuthorizedClientManager} beans serve.
	 */
	Map<String, C2MTokenManager> tokenManagersByRegistrationId() {
		Map<String, C2MTokenManager> managers = new LinkedHashMap<>();
		for (String name : this.names) {
			managers.put(getRegistrationId(name), getTokenManager(name));
		}
		return managers;
	}

	private void check(String name) {
		Assert.isTrue(this.names.contains(name),
				() -> "No Click2Mail account named '" + name + "'; the accounts are " + this.names);
	}

	private Account account(String name) {
		check(name);
		Assert.isTrue(!DEFAULT.equals(name), "The default account's parts are the starter's beans");
		return this.accounts.computeIfAbsent(name, this::build);
	}

	private Account build(String name) {
		C2MProperties properties = this.settings.apply(name);
		C2MConnectionDetails connectionDetails = new PropertiesC2MConnectionDetails(properties);
		try {
			C2MAuthClient client = this.parts.authClient(name, connectionDetails, properties);
			LongTermTokenSource source = this.parts.longTermTokenSource(client, connectionDetails, properties);
			C2MTokenManager tokenManager = this.parts
				.tokenManagerBuilder(name, client, source, connectionDetails, properties)
				.build();
			this.createdTokenManagers.add(tokenManager);
			return new Account(properties, connectionDetails, tokenManager,
					new DefaultC2MAuthOperations(client, tokenManager));
		}
		catch (RuntimeException ex) {
			throw C2MClientSettings.named(name, ex);
		}
	}

	@Override
	public String toString() {
		return "C2MClients" + this.names;
	}

	private record Account(C2MProperties properties, C2MConnectionDetails connectionDetails,
			C2MTokenManager tokenManager, C2MAuthOperations operations) {

		@Override
		public String toString() {
			return "Account[" + this.tokenManager.getName() + "]";
		}

	}

	/**
	 * Builds an account's {@link WebClient} and {@link RestClient}, where Spring
	 * Security's OAuth2 client is present.
	 */
	interface C2MClientHttpClients {

		WebClient webClient(String name);

		RestClient restClient(String name);

	}

}
