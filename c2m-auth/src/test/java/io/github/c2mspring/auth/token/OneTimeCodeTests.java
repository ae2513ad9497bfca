package io.github.c2mspring.auth.token;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.ManualClock;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A one-time code is spent only once the request that carries it may have reached the
 * server: a failure to connect leaves it usable, any later failure spends it (the server
 * may have consumed it).
 */
class OneTimeCodeTests {

	private static final String CLIENT_ID = "client-1";

	private final ManualClock clock = ManualClock.startingNow();

	private C2MEmulator emulator;

	@AfterEach
	void stop() {
		if (this.emulator != null) {
			this.emulator.close();
		}
	}

	private CredentialLongTermTokenSource source(String baseUrl, Duration callTimeout) {
		C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl(baseUrl).build(), ObservationRegistry.NOOP,
				callTimeout);
		return new CredentialLongTermTokenSource(client, CLIENT_ID, new C2MCredential.OneTimePassword("otp-1"),
				List.of(), Duration.ofDays(30), this.clock);
	}

	private C2MEmulator emulator(int port) {
		C2MEmulator started = C2MEmulator.builder().clock(this.clock).port(port).start();
		started.clients().register(CLIENT_ID).otp("otp-1").allowedScopes("jobs:submit");
		return started;
	}

	private static int refusingPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Test
	void aRefusedConnectionLeavesTheCodeUsable() throws IOException {
		int port = refusingPort();
		CredentialLongTermTokenSource source = source("http://127.0.0.1:" + port + "/v2", Duration.ofSeconds(10));
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> source.obtain().block()).satisfies((ex) -> {
			assertThat(ex.getCode()).isEqualTo(C2MAuthException.TRANSPORT_CODE);
			assertThat(ex.isRequestNotSent()).isTrue();
			assertThat(ex.getMessage()).doesNotContain("otp-1");
		});
		assertThat(source.canIssue()).isTrue();
		this.emulator = emulator(port);
		LongTermToken token = source.obtain().block();
		assertThat(token.tokenId()).startsWith("tok_lt_");
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
		assertThat(source.canIssue()).isFalse();
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> source.obtain().block()).satisfies((ex) -> {
			assertThat(ex.getCode()).isEqualTo("otp_spent");
			assertThat(ex.getMessage()).contains("configure a fresh one-time code");
			assertThat(ex.getSettings()).containsExactly(C2MSetting.CREDENTIAL, C2MSetting.OTP_CODE);
		});
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
	}

	@Test
	void theManagerIssuesWithTheCodeOnceTheServerIsUpAfterAFirstStartThatCouldNotConnect() throws IOException {
		int port = refusingPort();
		CredentialLongTermTokenSource source = source("http://127.0.0.1:" + port + "/v2", Duration.ofSeconds(10));
		C2MAuthClient client = new C2MAuthClient(
				WebClient.builder().baseUrl("http://127.0.0.1:" + port + "/v2").build(), ObservationRegistry.NOOP,
				Duration.ofSeconds(10));
		C2MTokenManager manager = C2MTokenManager.builder(client, source)
			.clock(this.clock)
			.policy(TokenPolicy.defaults().withSafetyMargin(Duration.ofSeconds(60)))
			.build();
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> manager.getShortTermToken().block())
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(C2MAuthException.TRANSPORT_CODE));
		this.emulator = emulator(port);
		this.clock.advance(Duration.ofHours(1));
		assertThat(manager.getShortTermToken().block().scopes()).containsExactly("jobs:submit");
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
	}

	@Test
	void aServerErrorSpendsTheCode() {
		this.emulator = emulator(0);
		this.emulator.faults().once(Endpoint.LONG_TERM_TOKEN, Fault.status(500));
		CredentialLongTermTokenSource source = source(this.emulator.baseUrl(), Duration.ofSeconds(10));
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> source.obtain().block()).satisfies((ex) -> {
			assertThat(ex.getStatus()).isEqualTo(500);
			assertThat(ex.isRequestNotSent()).isFalse();
		});
		assertThat(source.canIssue()).isFalse();
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> source.obtain().block())
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo("otp_spent"));
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
	}

	@Test
	void aConnectionClosedAfterTheRequestWasSentSpendsTheCode() {
		this.emulator = emulator(0);
		this.emulator.faults().once(Endpoint.LONG_TERM_TOKEN, Fault.resetConnection());
		CredentialLongTermTokenSource source = source(this.emulator.baseUrl(), Duration.ofSeconds(10));
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> source.obtain().block()).satisfies((ex) -> {
			assertThat(ex.getCode()).isEqualTo(C2MAuthException.TRANSPORT_CODE);
			assertThat(ex.isRequestNotSent()).isFalse();
		});
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
		assertThat(source.canIssue()).isFalse();
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> source.obtain().block())
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo("otp_spent"));
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
	}

	@Test
	void noAnswerAfterTheRequestWasSentSpendsTheCode() throws InterruptedException {
		this.emulator = emulator(0);
		CountDownLatch release = new CountDownLatch(1);
		this.emulator.faults().once(Endpoint.LONG_TERM_TOKEN, Fault.block(release));
		// the response timeout starts once the request is written: the code has left the
		// host
		HttpClient httpClient = HttpClient.create().responseTimeout(Duration.ofMillis(300));
		C2MAuthClient client = new C2MAuthClient(WebClient.builder()
			.baseUrl(this.emulator.baseUrl())
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.build(), ObservationRegistry.NOOP, Duration.ofSeconds(30));
		CredentialLongTermTokenSource source = new CredentialLongTermTokenSource(client, CLIENT_ID,
				new C2MCredential.OneTimePassword("otp-1"), List.of(), Duration.ofDays(30), this.clock);
		try {
			assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> source.obtain().block())
				.satisfies((ex) -> {
					assertThat(ex.getCode()).isEqualTo(C2MAuthException.TRANSPORT_CODE);
					assertThat(ex.isRequestNotSent()).isFalse();
				});
			assertThat(this.emulator.awaitRequestCount(Endpoint.LONG_TERM_TOKEN, 1, Duration.ofSeconds(10))).isTrue();
		}
		finally {
			release.countDown();
		}
		assertThat(source.canIssue()).isFalse();
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> source.obtain().block())
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo("otp_spent"));
	}

}
