package io.github.c2mspring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import io.github.c2mspring.auth.token.C2MTokenManager;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.web.client.ClientRegistrationIdProcessor;
import org.springframework.util.Assert;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

/**
 * Which HTTP service groups are Click2Mail accounts: a group named after an account's
 * registration id ({@code c2m}, {@code c2m-<name>}) is that account's; every other group
 * is left alone.
 */
final class C2MHttpServiceGroupAccounts {

	private final ObjectProvider<C2MClients> clients;

	private final C2MConnectionDetails connectionDetails;

	private final C2MProperties properties;

	private final Environment environment;

	C2MHttpServiceGroupAccounts(ObjectProvider<C2MClients> clients, C2MConnectionDetails connectionDetails,
			C2MProperties properties, Environment environment) {
		this.clients = clients;
		this.connectionDetails = connectionDetails;
		this.properties = properties;
		this.environment = environment;
	}

	/**
	 * The accounts by the name of their group.
	 */
	private Map<String, Account> byGroup() {
		C2MClients all = this.clients.getObject();
		Map<String, Account> accounts = new LinkedHashMap<>();
		for (String name : all.getNames()) {
			accounts.put(all.getRegistrationId(name), account(all, name));
		}
		return accounts;
	}

	private Account account(C2MClients all, String name) {
		boolean defaultAccount = C2MClients.DEFAULT.equals(name);
		C2MConnectionDetails details = defaultAccount ? this.connectionDetails : all.connectionDetails(name);
		C2MProperties settings = defaultAccount ? this.properties : all.properties(name);
		String group = all.getRegistrationId(name);
		return new Account(group, all.getTokenManager(name), details, settings,
				hasOwnBaseUrl(group) ? null : C2MSecurityClients.baseUrl(details, settings));
	}

	/**
	 * Boot's {@code spring.http.serviceclient.<group>.base-url} wins over the account's.
	 */
	private boolean hasOwnBaseUrl(String group) {
		return Binder.get(this.environment)
			.bind("spring.http.serviceclient." + group + ".base-url", String.class)
			.isBound();
	}

	/**
	 * Configure the client of every group that is an account's with that account, and
	 * have its proxies honour {@code @ClientRegistrationId}.
	 * @param <B> the type of the client builder
	 * @param groups all groups
	 * @param configure what configures a group's client builder for its account
	 */
	<B> void configure(HttpServiceGroupConfigurer.Groups<B> groups, BiConsumer<B, Account> configure) {
		Map<String, Account> byGroup = byGroup();
		HttpServiceGroupConfigurer.Groups<B> accountGroups = groups
			.filter((group) -> byGroup.containsKey(group.name()));
		accountGroups.forEachClient((group, builder) -> configure.accept(builder, accountOf(byGroup, group)));
		accountGroups.forEachProxyFactory(
				(group, factory) -> factory.httpRequestValuesProcessor(ClientRegistrationIdProcessor.DEFAULT_INSTANCE));
	}

	private static Account accountOf(Map<String, Account> accounts, HttpServiceGroup group) {
		Account account = accounts.get(group.name());
		Assert.state(account != null, () -> "No Click2Mail account for the HTTP service group " + group.name());
		return account;
	}

	/**
	 * An account as its group sees it.
	 *
	 * @param registrationId its registration id, the name of its group
	 * @param tokenManager its token manager
	 * @param connectionDetails its connection details
	 * @param properties its settings
	 * @param baseUrl the base URL to set, {@code null} when the group has its own
	 */
	record Account(String registrationId, C2MTokenManager tokenManager, C2MConnectionDetails connectionDetails,
			C2MProperties properties, @Nullable String baseUrl) {
	}

}
