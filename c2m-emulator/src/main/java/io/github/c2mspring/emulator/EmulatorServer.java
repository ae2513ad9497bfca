package io.github.c2mspring.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.jspecify.annotations.Nullable;

/**
 * The emulator's HTTP side: a JDK server (HTTP or HTTPS) that routes each request to its
 * {@link Endpoint}, counts it on arrival, answers 404 and 405 itself, adds the latency
 * and applies the injected {@link Faults} before handing it to the endpoint's
 * {@link Route}, and records it before the answer goes out.
 */
final class EmulatorServer implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor;

	private final Clock clock;

	private final Faults faults;

	private final RequestLog log;

	private volatile Map<Endpoint, Route> routes = Map.of();

	private volatile Duration latency = Duration.ZERO;

	/**
	 * Bind a server; it answers once {@link #start(Map)} gives it its routes.
	 */
	EmulatorServer(InetAddress bindAddress, int port, @Nullable SSLContext sslContext, Clock clock, Faults faults,
			RequestLog log) {
		this.clock = clock;
		this.faults = faults;
		this.log = log;
		InetSocketAddress address = new InetSocketAddress(bindAddress, port);
		try {
			if (sslContext != null) {
				HttpsServer https = HttpsServer.create(address, 1024);
				https.setHttpsConfigurator(new HttpsConfigurator(sslContext));
				this.server = https;
			}
			else {
				this.server = HttpServer.create(address, 1024);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start the C2M emulator on port " + port, ex);
		}
		AtomicInteger threads = new AtomicInteger();
		this.executor = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "c2m-emulator-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
	}

	/**
	 * Start answering.
	 * @param routes what answers each endpoint
	 */
	void start(Map<Endpoint, Route> routes) {
		this.routes = new EnumMap<>(routes);
		this.server.start();
	}

	String baseUrl() {
		InetSocketAddress address = this.server.getAddress();
		if (this.server instanceof HttpsServer) {
			return "https://localhost:" + address.getPort() + "/v2";
		}
		String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
		if (host.contains(":")) {
			host = "[" + host + "]";
		}
		return "http://" + host + ":" + address.getPort() + "/v2";
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	void setLatency(Duration latency) {
		this.latency = Objects.requireNonNull(latency);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) {
		Instant receivedAt = this.clock.instant();
		String method = exchange.getRequestMethod();
		String path = exchange.getRequestURI().getPath();
		Endpoint endpoint = endpoint(path);
		String body = "";
		Answer answer;
		try {
			body = readBody(exchange);
			if (endpoint != null) {
				this.log.arrived(endpoint);
			}
			answer = answer(endpoint, method, new Request(path, exchange.getRequestHeaders(), body));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			answer = Answer.error(503, "server_error", "The emulator was stopped");
		}
		catch (RuntimeException | IOException ex) {
			answer = Answer.error(500, "server_error", "The emulator failed: " + ex.getClass().getSimpleName());
		}
		// recorded before the answer goes out, so that a client that has its answer finds
		// it here
		this.log.answered(new RecordedRequest(endpoint, method, path, headers(exchange), body,
				(answer != null) ? answer.status : 0, receivedAt));
		try {
			if (answer != null) {
				send(exchange, answer);
			}
		}
		catch (IOException ex) {
			// the client went away
		}
		finally {
			exchange.close();
		}
	}

	/**
	 * The answer to a request, or {@code null} to close the connection without one.
	 */
	private @Nullable Answer answer(@Nullable Endpoint endpoint, String method, Request request)
			throws InterruptedException {
		if (endpoint == null) {
			return Answer.error(404, "not_found", "The requested resource was not found");
		}
		if (!"POST".equals(method)) {
			return Answer.error(405, "method_not_allowed", "Only POST is allowed on " + request.path());
		}
		if (!this.latency.isZero()) {
			Thread.sleep(this.latency.toMillis());
		}
		Fault fault = this.faults.next(endpoint);
		if (fault != null) {
			switch (fault.kind) {
				case RESPOND:
					return Answer.of(fault);
				case DELAY:
					Thread.sleep(fault.delay.toMillis());
					break;
				case BLOCK:
					Objects.requireNonNull(fault.latch, "a blocking fault has a latch").await(60, TimeUnit.SECONDS);
					if (fault.then != null) {
						return Answer.of(fault.then);
					}
					break;
				case RESET:
					return null;
			}
		}
		Route route = this.routes.get(endpoint);
		if (route == null) {
			return Answer.error(404, "not_found", "The requested resource was not found");
		}
		return route.answer(request);
	}

	private static @Nullable Endpoint endpoint(String path) {
		return switch (path) {
			case "/v2/auth/tokens/long" -> Endpoint.LONG_TERM_TOKEN;
			case "/v2/auth/tokens/short" -> Endpoint.SHORT_TERM_TOKEN;
			case "/v2/jobs/single-doc" -> Endpoint.SUBMIT_JOB;
			default -> RevokeEndpoint.PATH.matcher(path).matches() ? Endpoint.REVOKE : null;
		};
	}

	private static String readBody(HttpExchange exchange) throws IOException {
		try (InputStream in = exchange.getRequestBody()) {
			return new String(in.readNBytes(1024 * 1024), StandardCharsets.UTF_8);
		}
	}

	private static Map<String, String> headers(HttpExchange exchange) {
		Map<String, String> headers = new LinkedHashMap<>();
		exchange.getRequestHeaders()
			.forEach((name, values) -> headers.put(name, values.isEmpty() ? "" : values.get(0)));
		return headers;
	}

	private static void send(HttpExchange exchange, Answer answer) throws IOException {
		answer.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
		if (answer.contentType != null) {
			exchange.getResponseHeaders().set("Content-Type", answer.contentType);
		}
		byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(answer.status, (bytes.length == 0) ? -1 : bytes.length);
		if (bytes.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
	}

}
