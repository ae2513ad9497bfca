package io.github.c2mspring.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A standard OAuth 2 {@code client_credentials} token endpoint on loopback, for stock
 * Spring Security to be measured against: form body, client secret in the body or as HTTP
 * Basic, RFC 6749 answers. It is not part of the Click2Mail contract, so it lives here
 * rather than in the emulator. It issues tokens shaped as the emulator's short-term
 * tokens (HS256 JWTs with the same claims and lifetime, stamped on the same clock) for
 * one client, and takes the faults the benchmarks put on the emulator's exchange, with
 * the same effect: a delay before every answer, or an {@code AuthError} status instead of
 * it. Requests are counted on arrival, before any fault.
 */
final class OAuth2TokenEndpoint implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final SecureRandom random = new SecureRandom();

	private final HttpServer server;

	private final ExecutorService executor;

	private final Clock clock;

	private final Duration lifetime;

	private final String clientId;

	private final String secret;

	private final List<String> allowedScopes;

	private final MACSigner signer;

	private final AtomicInteger requests = new AtomicInteger();

	private volatile Duration delay = Duration.ZERO;

	private volatile int failureStatus;

	private OAuth2TokenEndpoint(Clock clock, Duration lifetime, String clientId, String secret,
			List<String> allowedScopes) throws IOException, JOSEException {
		this.clock = clock;
		this.lifetime = lifetime;
		this.clientId = clientId;
		this.secret = secret;
		this.allowedScopes = List.copyOf(allowedScopes);
		byte[] key = new byte[32];
		this.random.nextBytes(key);
		this.signer = new MACSigner(key);
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
		AtomicInteger threads = new AtomicInteger();
		// like the emulator's: a thread per concurrent request, so that a herd is served
		// at once
		this.executor = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "oauth2-token-endpoint-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/v2/oauth2/token", this::handle);
		this.server.start();
	}

	/**
	 * Start an endpoint for one client.
	 * @param clock the clock tokens are stamped with
	 * @param lifetime the lifetime of a token
	 * @param clientId the client id
	 * @param secret the client secret
	 * @param allowedScopes the scopes the client may ask for (the default when it asks
	 * for none)
	 * @return the running endpoint
	 */
	static OAuth2TokenEndpoint start(Clock clock, Duration lifetime, String clientId, String secret,
			List<String> allowedScopes) {
		try {
			return new OAuth2TokenEndpoint(clock, lifetime, clientId, secret, allowedScopes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The token URI, for a {@code ClientRegistration}.
	 * @return the URI
	 */
	String tokenUri() {
		return baseUrl() + "/oauth2/token";
	}

	private String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v2";
	}

	/**
	 * How many requests arrived.
	 * @return the count
	 */
	int requestCount() {
		return this.requests.get();
	}

	/**
	 * Wait this long before every answer, until {@link #clear()}.
	 * @param delay the delay
	 */
	void delay(Duration delay) {
		this.delay = Objects.requireNonNull(delay);
	}

	/**
	 * Answer every request with this status (and an {@code AuthError} body), until
	 * {@link #clear()}.
	 * @param status the status
	 */
	void fail(int status) {
		this.failureStatus = status;
	}

	/**
	 * Remove the delay and the failure.
	 */
	void clear() {
		this.delay = Duration.ZERO;
		this.failureStatus = 0;
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			String body;
			try (InputStream in = exchange.getRequestBody()) {
				body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			this.requests.incrementAndGet();
			if (!this.delay.isZero()) {
				Thread.sleep(this.delay.toMillis());
			}
			int failure = this.failureStatus;
			if (failure != 0) {
				send(exchange, failure, Map.of("code", (failure >= 500) ? "server_error" : "error", "message",
						"Injected failure " + failure));
				return;
			}
			answer(exchange, body);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			exchange.close();
		}
	}

	private void answer(HttpExchange exchange, String body) throws IOException {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : body.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				form.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
			}
		}
		String id = form.get("client_id");
		String password = form.get("client_secret");
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
					StandardCharsets.UTF_8);
			int colon = decoded.indexOf(':');
			if (colon > 0) {
				id = decode(decoded.substring(0, colon));
				password = decode(decoded.substring(colon + 1));
			}
		}
		if (!"client_credentials".equals(form.get("grant_type"))) {
			send(exchange, 400, Map.of("error", "unsupported_grant_type"));
			return;
		}
		if (!this.clientId.equals(id) || !this.secret.equals(password)) {
			send(exchange, 401, Map.of("error", "invalid_client"));
			return;
		}
		List<String> scopes = this.allowedScopes;
		String scope = form.get("scope");
		if (scope != null && !scope.isBlank()) {
			scopes = List.of(scope.trim().split("\\s+"));
			if (!this.allowedScopes.containsAll(scopes)) {
				send(exchange, 400, Map.of("error", "invalid_scope"));
				return;
			}
		}
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("access_token", token(scopes));
		response.put("token_type", "Bearer");
		response.put("expires_in", this.lifetime.toSeconds());
		response.put("scope", String.join(" ", scopes));
		send(exchange, 200, response);
	}

	private String token(List<String> scopes) {
		Instant now = this.clock.instant();
		byte[] id = new byte[8];
		this.random.nextBytes(id);
		JWTClaimsSet claims = new JWTClaimsSet.Builder().jwtID("tok_st_" + HexFormat.of().formatHex(id))
			.subject(this.clientId)
			.issuer(baseUrl())
			.claim("scope", String.join(" ", scopes))
			.claim("typ", "st")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(this.lifetime)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	private static void send(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
		byte[] bytes = JSON.writeValueAsBytes(body);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static String decode(String value) {
		return URLDecoder.decode(value, StandardCharsets.UTF_8);
	}

}
