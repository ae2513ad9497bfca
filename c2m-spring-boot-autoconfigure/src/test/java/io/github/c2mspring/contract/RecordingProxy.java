package io.github.c2mspring.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP server that forwards every request to another server (the emulator) and
 * records each request exactly as it arrived and each answer exactly as it was given, so
 * that the traffic between the starter and the emulator can be checked against the
 * contract.
 */
final class RecordingProxy implements AutoCloseable {

	/** Headers that {@link HttpClient} sets itself and refuses to be given. */
	private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "date", "expect", "from",
			"host", "upgrade", "via", "warning", "transfer-encoding", "keep-alive");

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "contract-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final URI target;

	private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

	/**
	 * Start a proxy.
	 * @param target the origin to forward to, such as {@code http://127.0.0.1:54321} (no
	 * path)
	 */
	RecordingProxy(URI target) {
		this.target = target;
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::forward);
		this.server.start();
	}

	/**
	 * The origin of the proxy, such as {@code http://127.0.0.1:54322}.
	 * @return the origin
	 */
	String origin() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Every exchange so far, in the order the answers were given.
	 * @return the exchanges
	 */
	List<Exchange> exchanges() {
		return List.copyOf(this.exchanges);
	}

	private void forward(HttpExchange exchange) throws IOException {
		try (exchange) {
			String method = exchange.getRequestMethod();
			URI uri = exchange.getRequestURI();
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			Map<String, List<String>> requestHeaders = copy(exchange.getRequestHeaders());
			HttpRequest.Builder request = HttpRequest
				.newBuilder(this.target
					.resolve(uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "")))
				.timeout(Duration.ofSeconds(30))
				.method(method, (body.length > 0) ? HttpRequest.BodyPublishers.ofByteArray(body)
						: HttpRequest.BodyPublishers.noBody());
			requestHeaders.forEach((name, values) -> {
				if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
					values.forEach((value) -> request.header(name, value));
				}
			});
			HttpResponse<byte[]> response;
			try {
				response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
			Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
			response.headers().map().forEach((name, values) -> {
				if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
					responseHeaders.put(name, List.copyOf(values));
				}
			});
			byte[] answer = response.body();
			this.exchanges
				.add(new Exchange(method, uri.getRawPath(), requestHeaders, new String(body, StandardCharsets.UTF_8),
						response.statusCode(), responseHeaders, new String(answer, StandardCharsets.UTF_8)));
			responseHeaders.forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
			exchange.sendResponseHeaders(response.statusCode(), (answer.length == 0) ? -1 : answer.length);
			if (answer.length > 0) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(answer);
				}
			}
		}
	}

	private static Map<String, List<String>> copy(Map<String, List<String>> headers) {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
		return copy;
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	/**
	 * One request and its answer, as they crossed the wire.
	 *
	 * @param method the request method
	 * @param path the request path
	 * @param requestHeaders the request headers
	 * @param requestBody the request body
	 * @param status the answer's status
	 * @param responseHeaders the answer's headers
	 * @param responseBody the answer's body
	 */
	record Exchange(String method, String path, Map<String, List<String>> requestHeaders, String requestBody,
			int status, Map<String, List<String>> responseHeaders, String responseBody) {

		@Override
		public String toString() {
			// bodies and headers carry secrets and tokens: never printed
			return this.method + " " + this.path + " -> " + this.status;
		}

	}

}
