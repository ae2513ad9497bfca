package io.github.c2mspring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.ProxyProvider;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.util.StringUtils;

/**
 * The HTTP clients of every call to Click2Mail: the configured timeouts, the SSL bundle's
 * trust material (hostname verification stays on), the outbound proxy, and redirects
 * never followed (a redirect must not carry credentials or tokens to another host).
 * Reactor Netty carries them. The settings are checked when the starter's beans are
 * created; the Reactor Netty clients are built at the first request.
 */
final class C2MHttpClients {

	private C2MHttpClients() {
	}

	static HttpClientSettings settings(C2MProperties.Http http, @Nullable SslBundles sslBundles) {
		HttpClientSettings settings = HttpClientSettings.defaults()
			.withTimeouts(C2MSettings.checkPositive("c2m.http.connect-timeout", http.getConnectTimeout(), "5s"),
					C2MSettings.checkPositive("c2m.http.read-timeout", http.getReadTimeout(), "10s"))
			.withRedirects(HttpRedirects.DONT_FOLLOW);
		SslBundle bundle = sslBundle(http, sslBundles);
		return (bundle != null) ? settings.withSslBundle(bundle) : settings;
	}

	private static @Nullable SslBundle sslBundle(C2MProperties.Http http, @Nullable SslBundles sslBundles) {
		String name = http.getSslBundle();
		if (!StringUtils.hasText(name)) {
			return null;
		}
		if (sslBundles == null) {
			throw new C2MConfigurationException("c2m.http.ssl-bundle",
					"names the SSL bundle '" + name + "' but the application has no SSL bundles",
					"Define the bundle under spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name
							+ ", or remove c2m.http.ssl-bundle.");
		}
		try {
			return sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw C2MSettings.invalid("c2m.http.ssl-bundle", name,
					"names the SSL bundle '" + name + "', which is not defined",
					"Define it under spring.ssl.bundle.pem." + name + " (for example truststore.certificate="
							+ "classpath:corporate-ca.pem) or fix the name in c2m.http.ssl-bundle.");
		}
	}

	/**
	 * The checked settings of the calls the auth client makes.
	 *
	 * @param baseUrl the checked base URL
	 * @param maxResponseSize the largest response body read
	 * @param callTimeout how long one call may take in all
	 * @param connector a supplier of a new connector
	 */
	record AuthCalls(String baseUrl, int maxResponseSize, Duration callTimeout,
			Supplier<ClientHttpConnector> connector) {

		static AuthCalls check(C2MConnectionDetails connectionDetails, C2MProperties.Http http,
				@Nullable SslBundles sslBundles) {
			String baseUrl = C2MSettings.checkBaseUrl(connectionDetails.getBaseUrl(), http.isAllowInsecureBaseUrl());
			int maxResponseSize = (int) Math.min(Integer.MAX_VALUE, http.getMaxResponseSize().toBytes());
			Supplier<ClientHttpConnector> connector = C2MHttpClients.connector(http, sslBundles,
					secrets(connectionDetails, http));
			return new AuthCalls(baseUrl, maxResponseSize,
					C2MSettings.checkPositive("c2m.http.call-timeout", http.getCallTimeout(), "30s"), connector);
		}

	}

	static UnaryOperator<HttpClient> proxy(C2MProperties.Proxy proxy) {
		String host = proxy.getHost();
		if (!StringUtils.hasText(host)) {
			return UnaryOperator.identity();
		}
		Integer port = proxy.getPort();
		if (port == null) {
			throw new C2MConfigurationException("c2m.http.proxy.port",
					"the proxy " + host + " needs a port from 1 to 65535, not " + port,
					"Set c2m.http.proxy.port to the proxy's port, such as 3128.");
		}
		if (port < 1 || port > 65535) {
			throw C2MSettings.invalid("c2m.http.proxy.port", port,
					"the proxy " + host + " needs a port from 1 to 65535, not " + port,
					"Set c2m.http.proxy.port to the proxy's port, such as 3128.");
		}
		if (StringUtils.hasText(proxy.getPassword()) && !StringUtils.hasText(proxy.getUsername())) {
			throw new C2MConfigurationException("c2m.http.proxy.password",
					"a proxy password is set without a user name",
					"Set c2m.http.proxy.username too, or remove c2m.http.proxy.password.");
		}
		return (client) -> client.proxy((spec) -> {
			ProxyProvider.Builder builder = spec.type(ProxyProvider.Proxy.HTTP).host(host).port(port);
			if (StringUtils.hasText(proxy.getUsername())) {
				builder.username(proxy.getUsername()).password((user) -> proxy.getPassword());
			}
			builder.nonProxyHosts(StringUtils.hasText(proxy.getNonProxyHosts()) ? proxy.getNonProxyHosts() : "");
		});
	}

	static UnaryOperator<HttpClient> wireLogging(C2MProperties.Http http, List<String> secrets) {
		if (!http.isWireLogging()) {
			return UnaryOperator.identity();
		}
		MaskingWireLogger logger = new MaskingWireLogger(secrets);
		return (client) -> client.doOnConnected((connection) -> connection.addHandlerFirst("c2m.wire", logger));
	}

	/**
	 * Check the settings of a connector now, and build it when the supplier is called.
	 * @param http the HTTP settings
	 * @param sslBundles the application's SSL bundles, if any
	 * @param secrets the values the wire logger masks
	 * @return a supplier of a new connector
	 */
	static Supplier<ClientHttpConnector> connector(C2MProperties.Http http, @Nullable SslBundles sslBundles,
			List<String> secrets) {
		HttpClientSettings settings = settings(http, sslBundles);
		UnaryOperator<HttpClient> customizer = customizer(http, secrets);
		return () -> ClientHttpConnectorBuilder.reactor().withHttpClientCustomizer(customizer::apply).build(settings);
	}

	/**
	 * Check the settings of a request factory now, and build it when the supplier is
	 * called.
	 * @param http the HTTP settings
	 * @param sslBundles the application's SSL bundles, if any
	 * @param secrets the values the wire logger masks
	 * @return a supplier of a new request factory
	 */
	static Supplier<ClientHttpRequestFactory> requestFactory(C2MProperties.Http http, @Nullable SslBundles sslBundles,
			List<String> secrets) {
		HttpClientSettings settings = settings(http, sslBundles);
		UnaryOperator<HttpClient> customizer = customizer(http, secrets);
		return () -> ClientHttpRequestFactoryBuilder.reactor()
			.withHttpClientCustomizer(customizer::apply)
			.build(settings);
	}

	private static UnaryOperator<HttpClient> customizer(C2MProperties.Http http, List<String> secrets) {
		UnaryOperator<HttpClient> proxy = proxy(http.getProxy());
		UnaryOperator<HttpClient> wire = wireLogging(http, secrets);
		return (client) -> wire.apply(proxy.apply(client));
	}

	/**
	 * The configured secrets, for the wire logger to mask even where no pattern finds
	 * them.
	 */
	static List<String> secrets(C2MConnectionDetails connectionDetails, C2MProperties.Http http) {
		List<String> secrets = new java.util.ArrayList<>();
		if (connectionDetails.getCredential() instanceof io.github.c2mspring.auth.C2MCredential.ClientSecret secret) {
			secrets.add(secret.secret());
		}
		if (connectionDetails.getCredential() instanceof io.github.c2mspring.auth.C2MCredential.OneTimePassword otp) {
			secrets.add(otp.code());
		}
		if (connectionDetails
			.getCredential() instanceof io.github.c2mspring.auth.C2MCredential.PreProvisionedToken token) {
			secrets.add(token.token());
		}
		if (http.getProxy().getPassword() != null) {
			secrets.add(http.getProxy().getPassword());
		}
		return secrets;
	}

}
