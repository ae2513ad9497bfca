package io.github.c2mspring.hardening;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Stream;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.autoconfigure.C2MAutoConfiguration;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Bad answers from the server, table-driven, through the auto-configured beans
 * (configured timeouts and response-size limit): every case ends in
 * {@link C2MAuthException} with a message that says what was wrong, within the timeouts,
 * and where a valid token is cached it is still served.
 */
class HostileServerTests {

	private static final String JSON = "application/json";

	private static final String SANE = "\"token_type\":\"Bearer\",\"access_token\":\"eyJ.sane.token\",\"expires_in\":900,"
			+ "\"scopes\":[\"jobs:submit\"],\"token_id\":\"tok_st_sane\"";

	private final ManualClock clock = ManualClock.startingNow();

	private C2MEmulator emulator;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().clock(this.clock).start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	private ApplicationContextRunner runner(String baseUrl) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class))
			.withBean(C2MAutoConfiguration.CLOCK_BEAN_NAME, java.time.Clock.class, () -> this.clock)
			.withPropertyValues("c2m.base-url=" + baseUrl, "c2m.client-id=client-1", "c2m.auth.client-secret=secret-1",
					"c2m.http.connect-timeout=1s", "c2m.http.read-timeout=1s", "c2m.http.call-timeout=3s",
					"c2m.http.max-response-size=64KB");
	}

	static Stream<Arguments> badAnswers() {
		String httpDate = DateTimeFormatter.RFC_1123_DATE_TIME
			.format(Instant.now().plusSeconds(120).atZone(ZoneOffset.UTC));
		return Stream.of(answer("malformed JSON", Fault.malformedBody(), "could not be read"),
				answer("HTML error page", Fault.raw(500, "text/html", "<html><body>Oops</body></html>", Map.of()),
						"not an AuthError (text/html"),
				answer("HTML page with 200", Fault.raw(200, "text/html", "<html>captive portal</html>", Map.of()),
						"could not be read"),
				answer("empty body on 201", Fault.raw(201, JSON, "", Map.of()), "had no body"),
				answer("missing access_token",
						Fault.raw(201, JSON, "{\"token_type\":\"Bearer\",\"expires_in\":900}", Map.of()),
						"no access_token"),
				answer("missing expires_in",
						Fault.raw(201, JSON, "{\"token_type\":\"Bearer\",\"access_token\":\"eyJ.a.b\"}", Map.of()),
						"no expires_in"),
				answer("expires_in of the wrong type", Fault.raw(201, JSON,
						"{\"token_type\":\"Bearer\",\"access_token\":\"eyJ.a.b\",\"expires_in\":\"soon\"}", Map.of()),
						"could not be read"),
				answer("scopes of the wrong type", Fault.raw(201, JSON,
						"{\"token_type\":\"Bearer\",\"access_token\":\"eyJ.a.b\",\"expires_in\":900,\"scopes\":{\"a\":1}}",
						Map.of()), "could not be read"),
				answer("expires_in zero", tokenWith("\"expires_in\":0"), "non-positive expires_in (0)"),
				answer("expires_in negative", tokenWith("\"expires_in\":-5"), "non-positive expires_in (-5)"),
				answer("expires_in absurdly large", tokenWith("\"expires_in\":9223372036854775807"),
						"beyond the 400 days"),
				answer("token_type not Bearer", tokenWith("\"token_type\":\"MAC\""), "token_type 'MAC'"),
				answer("empty access_token", tokenWith("\"access_token\":\"\""), "no access_token"),
				answer("whitespace access_token", tokenWith("\"access_token\":\"   \""), "no access_token"),
				answer("multi-megabyte body",
						Fault.raw(201, JSON, "{\"access_token\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}", Map.of()),
						"the maximum response size"),
				answer("multi-megabyte error body", Fault.raw(500, "text/plain", "e".repeat(3 * 1024 * 1024), Map.of()),
						"the maximum response size"),
				answer("redirect to another host",
						Fault.raw(302, null, "", Map.of("Location", "http://attacker.example/v2/auth/tokens/short")),
						"HTTP 302"),
				answer("401 with AuthError", Fault.status(401, "invalid_token", "expired"), "[invalid_token]"),
				answer("401 without body", Fault.raw(401, null, "", Map.of()), "had no body"),
				answer("403 with AuthError", Fault.status(403, "insufficient_scope", "no"), "[insufficient_scope]"),
				answer("403 without AuthError", Fault.raw(403, "text/plain", "Forbidden", Map.of()),
						"not an AuthError"),
				answer("404 with AuthError", Fault.status(404, "not_found", "gone"), "[not_found]"),
				answer("404 without AuthError", Fault.raw(404, "text/html", "<h1>Not Found</h1>", Map.of()),
						"not an AuthError"),
				answer("429 Retry-After seconds", Fault.rateLimited("30"), "[rate_limited]"),
				answer("429 Retry-After HTTP date", Fault.rateLimited(httpDate), "[rate_limited]"),
				answer("429 Retry-After garbage", Fault.rateLimited("soon-ish"), "[rate_limited]"),
				answer("429 without body", Fault.raw(429, null, "", Map.of("Retry-After", "7")), "HTTP 429"),
				answer("500 with AuthError", Fault.status(500), "[server_error]"),
				answer("500 without body", Fault.raw(500, null, "", Map.of()), "had no body"),
				answer("503 with AuthError", Fault.status(503, "unavailable", "maintenance"), "[unavailable]"),
				answer("503 without AuthError", Fault.raw(503, "text/html", "<html>maintenance</html>", Map.of()),
						"not an AuthError"),
				answer("AuthError with odd fields", Fault.raw(400, JSON, "{\"code\":42,\"message\":[1,2]}", Map.of()),
						"HTTP 400"));
	}

	private static Fault tokenWith(String override) {
		String key = override.substring(0, override.indexOf(':'));
		String body = "{" + SANE.replaceAll(key + ":[^,]*", "") + "," + override + "}";
		return Fault.raw(201, JSON, body.replace("{,", "{").replace(",,", ","), Map.of());
	}

	private static Arguments answer(String name, Fault fault, String expected) {
		return Arguments.of(name, fault, expected);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badAnswers")
	void badAnswerFailsClearlyAndTheCachedTokenIsStillServed(String name, Fault fault, String expected) {
		runner(this.emulator.baseUrl()).run((context) -> {
			C2MAuthOperations operations = context.getBean(C2MAuthOperations.class);
			operations.getLongTermTokenInfo();
			// twice: a 401 makes the manager re-issue the long-term token and try once
			// more
			this.emulator.faults().times(Endpoint.SHORT_TERM_TOKEN, 2, fault);
			long started = System.nanoTime();
			assertThatExceptionOfType(C2MAuthException.class).isThrownBy(operations::getShortTermToken)
				.satisfies((ex) -> {
					assertThat(ex.getMessage()).contains(expected).contains("exchange-short-term-token");
					assertThat(ex.getMessage()).hasSizeLessThan(1000);
					assertThat(ex.getSettings().contains(C2MSetting.MAX_RESPONSE_SIZE))
						.isEqualTo(expected.contains("maximum response size"));
				});
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			this.emulator.faults().clear();
			// with a valid token cached, the same bad answer to a background refresh
			// costs callers nothing
			this.clock.advance(Duration.ofMinutes(3));
			ShortTermToken cached = operations.getShortTermToken();
			C2MTokenManager manager = context.getBean(C2MTokenManager.class);
			long failuresBefore = manager.diagnostics().statistics().exchangeFailures();
			this.clock.advance(Duration.ofMinutes(9));
			this.emulator.faults().times(Endpoint.SHORT_TERM_TOKEN, 2, fault);
			assertThat(operations.getShortTermToken()).isSameAs(cached);
			awaitIdle(manager);
			assertThat(operations.getShortTermToken()).isSameAs(cached);
			assertThat(manager.diagnostics().statistics().exchangeFailures()).isGreaterThan(failuresBefore);
			assertThat(manager.diagnostics().lastFailure())
				.hasValueSatisfying((failure) -> assertThat(failure.exception().getMessage()).contains(expected));
		});
	}

	static Stream<Arguments> brokenConnections() {
		return Stream
			.of(Arguments.of("body trickling past the read timeout", (RawHttpServer.Behaviour) (socket, out) -> {
				out.write(RawHttpServer.bytes(
						"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n" + "Content-Length: 200\r\n\r\n"));
				for (int i = 0; i < 200; i++) {
					out.write('{');
					out.flush();
					Thread.sleep(400);
				}
			}, "exchange-short-term-token"),
					Arguments.of("connection reset mid-body", (RawHttpServer.Behaviour) (socket, out) -> {
						out.write(RawHttpServer.bytes("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
								+ "Content-Length: 500\r\n\r\n{\"access_token\":\"eyJ"));
						out.flush();
						socket.setSoLinger(true, 0);
						socket.close();
					}, "[transport_error]"), Arguments.of("headers that never come",
							(RawHttpServer.Behaviour) (socket, out) -> Thread.sleep(10_000), "[transport_error]"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("brokenConnections")
	void brokenConnectionFailsWithinTheTimeouts(String name, RawHttpServer.Behaviour behaviour, String expected)
			throws Exception {
		try (RawHttpServer server = new RawHttpServer(behaviour)) {
			runner(server.baseUrl()).withPropertyValues("c2m.auth.long-term-token=lt-preprovisioned-value")
				.withPropertyValues("c2m.auth.client-secret=")
				.run((context) -> {
					long started = System.nanoTime();
					assertThatExceptionOfType(C2MAuthException.class)
						.isThrownBy(() -> context.getBean(C2MAuthOperations.class).getShortTermToken())
						.satisfies((ex) -> {
							assertThat(ex.getMessage()).contains(expected).doesNotContain("lt-preprovisioned-value");
							assertThat(ex.getStatus()).isIn(0, 201);
						});
					assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
				});
		}
	}

	static Stream<Arguments> unreachable() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		return Stream.of(
				Arguments.of("connection refused", "http://127.0.0.1:" + closedPort + "/v2",
						"no answer from 127.0.0.1"),
				Arguments.of("DNS failure", "https://c2m-does-not-exist.invalid/v2", "c2m-does-not-exist.invalid"),
				Arguments.of("https URL to a plain HTTP server (TLS never completes)", null,
						"within the call timeout"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("unreachable")
	void unreachableServerFailsNamingWhere(String name, String baseUrl, String expected) {
		String url = (baseUrl != null) ? baseUrl : this.emulator.baseUrl().replace("http://", "https://");
		runner(url).withPropertyValues("c2m.auth.long-term-token=lt-preprovisioned-value", "c2m.auth.client-secret=")
			.run((context) -> {
				long started = System.nanoTime();
				assertThatExceptionOfType(C2MAuthException.class)
					.isThrownBy(() -> context.getBean(C2MAuthOperations.class).getShortTermToken())
					.satisfies((ex) -> {
						assertThat(ex.getStatus()).isZero();
						assertThat(ex.getCode()).isEqualTo(C2MAuthException.TRANSPORT_CODE);
						assertThat(ex.getMessage()).contains(expected).doesNotContain("lt-preprovisioned-value");
					});
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
			});
	}

	static void awaitIdle(C2MTokenManager manager) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!manager.diagnostics().isIdle()) {
			assertThat(System.nanoTime()).isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

}
