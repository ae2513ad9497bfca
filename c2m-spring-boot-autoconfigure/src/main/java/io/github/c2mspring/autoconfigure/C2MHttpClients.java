package io.github.c2mspring.autoconfigure;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;

/**
 * The HTTP client settings of every call to Click2Mail: the configured timeouts, and redirects
 * never followed (a redirect must not carry credentials or tokens to another host).
 */
final class C2MHttpClients {

	private C2MHttpClients() {
	}

	static HttpClientSettings settings(C2MProperties.Http http) {
		return HttpClientSettings.defaults()
			.withTimeouts(C2MSettings.checkPositive("c2m.http.connect-timeout", http.getConnectTimeout(), "5s"),
					C2MSettings.checkPositive("c2m.http.read-timeout", http.getReadTimeout(), "10s"))
			.withRedirects(HttpRedirects.DONT_FOLLOW);
	}

	static ClientHttpConnector connector(C2MProperties.Http http) {
		return ClientHttpConnectorBuilder.detect().build(settings(http));
	}

	static ClientHttpRequestFactory requestFactory(C2MProperties.Http http) {
		return ClientHttpRequestFactoryBuilder.detect().build(settings(http));
	}

}
