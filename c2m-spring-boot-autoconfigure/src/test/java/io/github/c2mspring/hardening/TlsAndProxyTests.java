package io.github.c2mspring.hardening;

import java.util.Map;

import javax.net.ssl.SSLContext;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.autoconfigure.C2MAutoConfiguration;
import io.github.c2mspring.autoconfigure.C2MOAuth2ClientAutoConfiguration;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Real networks: a TLS server whose certificate comes from a test CA, trusted through a
 * Spring Boot SSL bundle (hostname verification on), and an outbound proxy with
 * credentials.
 */
class TlsAndProxyTests {

	private C2MEmulator tls;

	@BeforeEach
	void start() {
		PemSslStoreDetails server = PemSslStoreDetails.forCertificate("classpath:tls/server.crt")
			.withPrivateKey("classpath:tls/server.key");
		SSLContext context = SslBundle.of(new PemSslStoreBundle(server, null)).createSslContext();
		this.tls = C2MEmulator.builder().https(context).start();
		this.tls.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
	}

	@AfterEach
	void stop() {
		this.tls.close();
	}

	private ApplicationContextRunner runner(String baseUrl) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, WebClientAutoConfiguration.class,
					RestClientAutoConfiguration.class, C2MAutoConfiguration.class,
					C2MOAuth2ClientAutoConfiguration.class))
			.withPropertyValues("c2m.base-url=" + baseUrl, "c2m.client-id=client-1", "c2m.auth.client-secret=secret-1",
					"spring.ssl.bundle.pem.corporate-ca.truststore.certificate=classpath:tls/ca.crt",
					"c2m.http.connect-timeout=2s", "c2m.http.read-timeout=2s", "c2m.http.call-timeout=5s");
	}

	@Test
	void corporateCaThroughAnSslBundle() {
		runner(this.tls.baseUrl()).withPropertyValues("c2m.http.ssl-bundle=corporate-ca").run((context) -> {
			assertThat(context.getBean(C2MAuthOperations.class).getAccessToken()).isNotBlank();
			Map<?, ?> viaWeb = context.getBean("c2mWebClient", WebClient.class)
				.post()
				.uri("/jobs/single-doc")
				.bodyValue(Map.of())
				.retrieve()
				.bodyToMono(Map.class)
				.block();
			Map<?, ?> viaRest = context.getBean("c2mRestClient", RestClient.class)
				.post()
				.uri("/jobs/single-doc")
				.body(Map.of())
				.retrieve()
				.body(Map.class);
			assertThat(viaWeb.get("job_id")).isNotNull();
			assertThat(viaRest.get("job_id")).isNotNull();
			assertThat(this.tls.submittedJobs()).hasSize(2);
		});
	}

	@Test
	void withoutTheBundleTheTestCaIsNotTrusted() {
		runner(this.tls.baseUrl()).run((context) -> assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> context.getBean(C2MAuthOperations.class).getAccessToken())
			.satisfies((ex) -> {
				assertThat(ex.getCode()).isEqualTo(C2MAuthException.TRANSPORT_CODE);
				assertThat(ex.getMessage()).contains("issue-long-term-token")
					.contains("TLS handshake with localhost")
					.contains("trusted certificates");
				assertThat(ex.getSettings()).containsExactly(C2MSetting.TRUST);
			}));
		assertThat(this.tls.requestCount(Endpoint.LONG_TERM_TOKEN)).isZero();
	}

	@Test
	void hostnameVerificationStaysOn() {
		String byAddress = this.tls.baseUrl().replace("https://localhost", "https://127.0.0.1");
		runner(byAddress).withPropertyValues("c2m.http.ssl-bundle=corporate-ca")
			.run((context) -> assertThatExceptionOfType(C2MAuthException.class)
				.isThrownBy(() -> context.getBean(C2MAuthOperations.class).getAccessToken())
				.satisfies((ex) -> {
					assertThat(ex.getCode()).isEqualTo(C2MAuthException.TRANSPORT_CODE);
					assertThat(ex.getMessage()).contains("TLS handshake with 127.0.0.1")
						.contains("No subject alternative names matching IP address 127.0.0.1");
				}));
		assertThat(this.tls.requestCount(Endpoint.LONG_TERM_TOKEN)).isZero();
	}

	@Test
	void throughAnAuthenticatingProxyOverTls() throws Exception {
		try (ConnectProxy proxy = new ConnectProxy("proxy-user", "proxy-pass-42")) {
			runner(this.tls.baseUrl())
				.withPropertyValues("c2m.http.ssl-bundle=corporate-ca", "c2m.http.proxy.host=127.0.0.1",
						"c2m.http.proxy.port=" + proxy.port(), "c2m.http.proxy.username=proxy-user",
						"c2m.http.proxy.password=proxy-pass-42")
				.run((context) -> {
					assertThat(context.getBean(C2MAuthOperations.class).getAccessToken()).isNotBlank();
					assertThat(context.getBean("c2mRestClient", RestClient.class)
						.post()
						.uri("/jobs/single-doc")
						.body(Map.of())
						.retrieve()
						.body(Map.class)
						.get("job_id")).isNotNull();
				});
			assertThat(proxy.tunnels()).isNotEmpty()
				.allSatisfy((tunnel) -> assertThat(tunnel).startsWith("localhost:"));
		}
	}

	@Test
	void wrongProxyCredentialsFailClearly() throws Exception {
		try (ConnectProxy proxy = new ConnectProxy("proxy-user", "proxy-pass-42")) {
			runner(this.tls.baseUrl())
				.withPropertyValues("c2m.http.ssl-bundle=corporate-ca", "c2m.http.proxy.host=127.0.0.1",
						"c2m.http.proxy.port=" + proxy.port(), "c2m.http.proxy.username=proxy-user",
						"c2m.http.proxy.password=wrong-pass-77")
				.run((context) -> assertThatExceptionOfType(C2MAuthException.class)
					.isThrownBy(() -> context.getBean(C2MAuthOperations.class).getAccessToken())
					.satisfies((ex) -> {
						assertThat(ex.getCode()).isEqualTo(C2MAuthException.TRANSPORT_CODE);
						assertThat(ex.getMessage()).doesNotContain("wrong-pass-77").doesNotContain("secret-1");
					}));
			assertThat(proxy.tunnels()).isEmpty();
		}
	}

}
