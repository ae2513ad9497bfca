package io.github.c2mspring.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@link WebClient} and {@link RestClient} of each account of {@link C2MClients}: the
 * starter's {@code c2mWebClient} and {@code c2mRestClient} beans for the default account,
 * one of each built at its first use for every named account, kept for the life of the
 * context.
 */
final class C2MNamedHttpClients implements C2MClients.C2MClientHttpClients {

	// resolved once: a caller may look its account's client up on every request

	private final SingletonSupplier<C2MClients> clients;

	private final SingletonSupplier<WebClient> defaultWebClient;

	private final SingletonSupplier<RestClient> defaultRestClient;

	private final BiFunction<C2MClients, String, WebClient> webClientFactory;

	private final BiFunction<C2MClients, String, RestClient> restClientFactory;

	private final Map<String, WebClient> webClients = new ConcurrentHashMap<>();

	private final Map<String, RestClient> restClients = new ConcurrentHashMap<>();

	C2MNamedHttpClients(ObjectProvider<C2MClients> clients, ObjectProvider<WebClient> defaultWebClient,
			ObjectProvider<RestClient> defaultRestClient, BiFunction<C2MClients, String, WebClient> webClientFactory,
			BiFunction<C2MClients, String, RestClient> restClientFactory) {
		this.clients = SingletonSupplier.of(clients::getObject);
		this.defaultWebClient = SingletonSupplier.of(defaultWebClient::getObject);
		this.defaultRestClient = SingletonSupplier.of(defaultRestClient::getObject);
		this.webClientFactory = webClientFactory;
		this.restClientFactory = restClientFactory;
	}

	@Override
	public WebClient webClient(String name) {
		return client(name, this.defaultWebClient, this.webClients, this.webClientFactory);
	}

	@Override
	public RestClient restClient(String name) {
		return client(name, this.defaultRestClient, this.restClients, this.restClientFactory);
	}

	private <T> T client(String name, SingletonSupplier<T> defaultClient, Map<String, T> built,
			BiFunction<C2MClients, String, T> factory) {
		C2MClients all = this.clients.obtain();
		all.getRegistrationId(name);
		if (C2MClients.DEFAULT.equals(name)) {
			return defaultClient.obtain();
		}
		return built.computeIfAbsent(name, (account) -> named(all, account, factory));
	}

	private static <T> T named(C2MClients all, String name, BiFunction<C2MClients, String, T> factory) {
		try {
			return factory.apply(all, name);
		}
		catch (RuntimeException ex) {
			throw C2MClientSettings.named(name, ex);
		}
	}

}
