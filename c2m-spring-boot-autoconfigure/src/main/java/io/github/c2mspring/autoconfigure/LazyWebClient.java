package io.github.c2mspring.autoconfigure;

import java.util.function.Supplier;

import org.springframework.http.HttpMethod;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A {@link WebClient} built at its first use rather than at startup: building one from
 * the application's {@link WebClient.Builder} creates Boot's HTTP connector and codecs
 * and loads Reactor Netty, none of which a context that never calls Click2Mail needs.
 * Every setting the client is built from is checked before this is created, so a
 * configuration error still fails the startup. Built once; thread-safe.
 */
final class LazyWebClient implements WebClient {

	private final SingletonSupplier<WebClient> webClient;

	/**
	 * Build the client with the given factory at the first request.
	 * @param factory builds the client, once
	 */
	LazyWebClient(Supplier<WebClient> factory) {
		Assert.notNull(factory, "factory must not be null");
		this.webClient = SingletonSupplier.of(factory);
	}

	@Override
	public RequestHeadersUriSpec<?> get() {
		return this.webClient.obtain().get();
	}

	@Override
	public RequestHeadersUriSpec<?> head() {
		return this.webClient.obtain().head();
	}

	@Override
	public RequestBodyUriSpec post() {
		return this.webClient.obtain().post();
	}

	@Override
	public RequestBodyUriSpec put() {
		return this.webClient.obtain().put();
	}

	@Override
	public RequestBodyUriSpec patch() {
		return this.webClient.obtain().patch();
	}

	@Override
	public RequestHeadersUriSpec<?> delete() {
		return this.webClient.obtain().delete();
	}

	@Override
	public RequestHeadersUriSpec<?> options() {
		return this.webClient.obtain().options();
	}

	@Override
	public RequestBodyUriSpec method(HttpMethod method) {
		return this.webClient.obtain().method(method);
	}

	@Override
	public Builder mutate() {
		return this.webClient.obtain().mutate();
	}

	@Override
	public String toString() {
		return "LazyWebClient";
	}

}
