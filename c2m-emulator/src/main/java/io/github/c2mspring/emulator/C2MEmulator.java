package io.github.c2mspring.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;

/**
 * An emulator of the Click2Mail v2 auth API, on loopback, for tests and offline runs. It follows
 * the contract ({@code c2m-auth-v2.yaml}): the three auth endpoints with their status codes and
 * {@code AuthError} bodies, signed JWTs with real expiry, credential checks (secret, one-time
 * code valid once, assertion verified against the client's public key), scopes
 * ({@code tokens:write} to rotate, {@code tokens:revoke} to revoke), TTL clamping and revocation.
 * It also serves one protected endpoint, {@code POST /v2/jobs/single-doc}, which needs a
 * short-term token with {@code jobs:submit}. It answers only the statuses the contract defines for
 * each operation and enforces its security schemes: the exchange takes the long-term token from the
 * {@code Authorization} header only, an issuance with a credential in the body needs the
 * {@code X-Client-Id} header, and a token without {@code tokens:revoke} gets 401
 * {@code insufficient_scope} from a revocation (faults injected by a test are the exception).
 * <p>
 * Revoking a long-term token stops it from being exchanged or used; short-term tokens already
 * exchanged from it stay valid until they expire unless revoked themselves.
 *
 * <pre class="code">
 * try (C2MEmulator emulator = C2MEmulator.start()) {
 *     emulator.clients().register("client-1").secret("s3cret");
 *     // point the application at emulator.baseUrl()
 * }
 * </pre>
 */
public final class C2MEmulator implements AutoCloseable {

	/** The only assertion type the contract defines. */
	public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	private static final Set<String> LONG_REQUEST_FIELDS = Set.of("grant_type", "client_id", "client_secret",
			"otp_code", "assertion_type", "assertion", "scopes", "ttl_seconds");

	private static final Set<String> SHORT_REQUEST_FIELDS = Set.of("long_token", "scopes");

	private static final long MIN_TTL = 3600;

	private static final long MAX_TTL = 7776000;

	private static final Duration DEFAULT_LONG_TTL = Duration.ofDays(30);

	private static final Pattern REVOKE_PATH = Pattern.compile("/v2/auth/tokens/([^/]+)/revoke");

	private final SecureRandom random = new SecureRandom();

	private final HttpServer server;

	private final ExecutorService executor;

	private final Clock clock;

	private final String audience;

	private final MACSigner signer;

	private final Clients clients = new Clients();

	private final Faults faults = new Faults();

	private final Map<String, Token> tokensByValue = new ConcurrentHashMap<>();

	private final Map<String, Token> tokensById = new ConcurrentHashMap<>();

	private final List<Token> issued = new CopyOnWriteArrayList<>();

	private final Set<String> usedJtis = ConcurrentHashMap.newKeySet();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final List<SubmittedJob> jobs = new CopyOnWriteArrayList<>();

	private final Map<Endpoint, AtomicInteger> counts = new EnumMap<>(Endpoint.class);

	private final Object countMonitor = new Object();

	private volatile Duration shortTermTtl;

	private volatile Duration maxLongTermTtl;

	private volatile Duration latency = Duration.ZERO;

	private C2MEmulator(Builder builder) {
		this.clock = builder.clock;
		this.shortTermTtl = builder.shortTermTtl;
		this.maxLongTermTtl = builder.maxLongTermTtl;
		for (Endpoint endpoint : Endpoint.values()) {
			this.counts.put(endpoint, new AtomicInteger());
		}
		byte[] key = new byte[32];
		this.random.nextBytes(key);
		try {
			this.signer = new MACSigner(key);
			InetSocketAddress address = new InetSocketAddress(builder.bindAddress, builder.port);
			if (builder.sslContext != null) {
				HttpsServer https = HttpsServer.create(address, 1024);
				https.setHttpsConfigurator(new HttpsConfigurator(builder.sslContext));
				this.server = https;
			}
			else {
				this.server = HttpServer.create(address, 1024);
			}
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start the C2M emulator on port " + builder.port, ex);
		}
		AtomicInteger threads = new AtomicInteger();
		this.executor = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "c2m-emulator-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
		this.audience = (builder.audience != null) ? builder.audience : baseUrl();
	}

	/**
	 * Start an emulator with the default settings on a free loopback port.
	 * @return the running emulator
	 */
	public static C2MEmulator start() {
		return builder().start();
	}

	/**
	 * A builder of emulators.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The base URL of the API, such as {@code http://127.0.0.1:54321/v2} (or
	 * {@code https://localhost:54321/v2} when serving HTTPS).
	 * @return the base URL
	 */
	public String baseUrl() {
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

	/**
	 * The port the emulator listens on.
	 * @return the port
	 */
	public int port() {
		return this.server.getAddress().getPort();
	}

	/**
	 * The {@code aud} an assertion must carry.
	 * @return the audience
	 */
	public String audience() {
		return this.audience;
	}

	/**
	 * The registered clients.
	 * @return the clients
	 */
	public Clients clients() {
		return this.clients;
	}

	/**
	 * The injected faults.
	 * @return the faults
	 */
	public Faults faults() {
		return this.faults;
	}

	/**
	 * Set the lifetime of the short-term tokens issued from now on.
	 * @param ttl the lifetime
	 */
	public void setShortTermTtl(Duration ttl) {
		this.shortTermTtl = Objects.requireNonNull(ttl);
	}

	/**
	 * Set the longest lifetime of the long-term tokens issued from now on (longer requests are
	 * clamped).
	 * @param ttl the lifetime
	 */
	public void setMaxLongTermTtl(Duration ttl) {
		this.maxLongTermTtl = Objects.requireNonNull(ttl);
	}

	/**
	 * Set a delay added before every answer.
	 * @param latency the delay
	 */
	public void setLatency(Duration latency) {
		this.latency = Objects.requireNonNull(latency);
	}

	/**
	 * Revoke a token, as if it had been revoked through the API.
	 * @param tokenId the token id
	 */
	public void revoke(String tokenId) {
		Token token = this.tokensById.get(tokenId);
		if (token == null) {
			throw new IllegalArgumentException("no token " + tokenId);
		}
		token.revoked = true;
	}

	/**
	 * Whether a token is revoked.
	 * @param tokenId the token id
	 * @return whether it is revoked
	 */
	public boolean isRevoked(String tokenId) {
		Token token = this.tokensById.get(tokenId);
		return token != null && token.revoked;
	}

	/**
	 * How many requests an endpoint received (counted on arrival, before any fault).
	 * @param endpoint the endpoint
	 * @return the count
	 */
	public int requestCount(Endpoint endpoint) {
		return this.counts.get(endpoint).get();
	}

	/**
	 * Wait until an endpoint has received at least {@code count} requests.
	 * @param endpoint the endpoint
	 * @param count the count to reach
	 * @param timeout the longest to wait
	 * @return whether the count was reached
	 * @throws InterruptedException if interrupted
	 */
	public boolean awaitRequestCount(Endpoint endpoint, int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.countMonitor) {
			while (requestCount(endpoint) < count) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.countMonitor, left);
			}
			return true;
		}
	}

	/**
	 * The requests answered so far, in the order their answers were sent.
	 * @return the requests
	 */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Every token issued so far, as it stands now.
	 * @return the tokens
	 */
	public List<IssuedToken> issuedTokens() {
		return this.issued.stream().map(Token::snapshot).toList();
	}

	/**
	 * How many tokens of a kind were issued.
	 * @param kind the kind
	 * @return the count
	 */
	public int issuedCount(TokenKind kind) {
		return (int) this.issued.stream().filter((token) -> token.kind == kind).count();
	}

	/**
	 * The jobs submitted to the protected endpoint.
	 * @return the jobs
	 */
	public List<SubmittedJob> submittedJobs() {
		return List.copyOf(this.jobs);
	}

	/**
	 * Forget every token, request, job and fault (registered clients stay; used one-time codes
	 * stay used).
	 */
	public void reset() {
		this.tokensById.clear();
		this.tokensByValue.clear();
		this.issued.clear();
		this.requests.clear();
		this.jobs.clear();
		this.usedJtis.clear();
		this.faults.clear();
		this.counts.values().forEach((count) -> count.set(0));
		this.latency = Duration.ZERO;
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	@Override
	public String toString() {
		return "C2MEmulator[" + baseUrl() + "]";
	}

	// ---------------------------------------------------------------- handling

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
				synchronized (this.countMonitor) {
					this.counts.get(endpoint).incrementAndGet();
					this.countMonitor.notifyAll();
				}
			}
			answer = answer(exchange, endpoint, method, path, body);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			answer = Answer.error(503, "server_error", "The emulator was stopped");
		}
		catch (RuntimeException | IOException ex) {
			answer = Answer.error(500, "server_error", "The emulator failed: " + ex.getClass().getSimpleName());
		}
		// recorded before the answer goes out, so that a client that has its answer finds it here
		this.requests.add(new RecordedRequest(endpoint, method, path, headers(exchange), body,
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

	private Answer answer(HttpExchange exchange, Endpoint endpoint, String method, String path, String body)
			throws InterruptedException {
		if (endpoint == null) {
			return Answer.error(404, "not_found", "The requested resource was not found");
		}
		if (!"POST".equals(method)) {
			return Answer.error(405, "method_not_allowed", "Only POST is allowed on " + path);
		}
		if (!this.latency.isZero()) {
			Thread.sleep(this.latency.toMillis());
		}
		Fault fault = this.faults.next(endpoint);
		if (fault != null) {
			switch (fault.kind) {
				case RESPOND:
					return new Answer(fault.status, fault.contentType, fault.body, fault.headers);
				case DELAY:
					Thread.sleep(fault.delay.toMillis());
					break;
				case BLOCK:
					fault.latch.await(60, TimeUnit.SECONDS);
					if (fault.then != null) {
						return new Answer(fault.then.status, fault.then.contentType, fault.then.body,
								fault.then.headers);
					}
					break;
				case RESET:
					return null;
			}
		}
		String bearer = bearer(exchange);
		return switch (endpoint) {
			case LONG_TERM_TOKEN -> issueLongTerm(exchange, bearer, body);
			case SHORT_TERM_TOKEN -> issueShortTerm(bearer, body);
			case REVOKE -> revokeByApi(bearer, path);
			case SUBMIT_JOB -> submitJob(bearer, body);
			case OAUTH2_TOKEN -> oauth2ClientCredentials(exchange, body);
		};
	}

	private Answer issueLongTerm(HttpExchange exchange, String bearer, String body) {
		String headerClientId = exchange.getRequestHeaders().getFirst("X-Client-Id");
		if (bearer == null && headerClientId == null) {
			// the contract's security: a short-term token (ShortTokenAuth) or the X-Client-Id header (ClientKey)
			return Answer.error(401, "invalid_client", "Send X-Client-Id with a credential, or a short-term token");
		}
		JsonNode request = Json.read(body);
		if (request == null || !request.isObject()) {
			return Answer.error(400, "invalid_request", "The request body must be a JSON object");
		}
		String unknown = unknownField(request, LONG_REQUEST_FIELDS);
		if (unknown != null) {
			return Answer.error(400, "invalid_request", "Unknown field '" + unknown + "'");
		}
		String grantType = text(request, "grant_type");
		String clientId = text(request, "client_id");
		if (grantType == null || clientId == null) {
			return Answer.error(400, "invalid_request", "grant_type and client_id are required");
		}
		if (!grantType.equals("client_credentials") && !grantType.equals("assertion")) {
			return Answer.error(400, "invalid_grant", "The grant type is not supported");
		}
		if (headerClientId != null && !headerClientId.equals(clientId)) {
			return Answer.error(400, "invalid_request", "X-Client-Id does not match client_id");
		}
		String secret = text(request, "client_secret");
		String otp = text(request, "otp_code");
		String assertion = text(request, "assertion");
		int mechanisms = ((secret != null) ? 1 : 0) + ((otp != null) ? 1 : 0) + ((assertion != null) ? 1 : 0);
		if (mechanisms > 1) {
			return Answer.error(400, "invalid_request", "Only one credential mechanism is allowed per call");
		}
		Long ttl = null;
		if (request.has("ttl_seconds")) {
			JsonNode ttlNode = request.get("ttl_seconds");
			if (!ttlNode.isIntegralNumber() || ttlNode.asLong() < MIN_TTL || ttlNode.asLong() > MAX_TTL) {
				return Answer.error(400, "invalid_request", "ttl_seconds must be an integer from 3600 to 7776000");
			}
			ttl = ttlNode.asLong();
		}
		List<String> requestedScopes = stringList(request, "scopes");
		if (requestedScopes == null && request.has("scopes")) {
			return Answer.error(400, "invalid_request", "scopes must be an array of strings");
		}
		Clients.Client client = this.clients.find(clientId);
		String mechanism;
		Token parent = null;
		if (grantType.equals("assertion")) {
			if (!JWT_BEARER.equals(text(request, "assertion_type"))) {
				return Answer.error(400, "invalid_request", "assertion_type must be " + JWT_BEARER);
			}
			if (assertion == null) {
				return Answer.error(400, "invalid_request", "An assertion grant needs an assertion");
			}
			String problem = verifyAssertion(client, clientId, assertion);
			if (problem != null) {
				return Answer.error(401, "invalid_grant", problem);
			}
			mechanism = "assertion";
		}
		else if (assertion != null || request.has("assertion_type")) {
			return Answer.error(400, "invalid_request", "assertion and assertion_type need grant_type assertion");
		}
		else if (secret != null) {
			if (client == null || client.secretValue() == null || !client.secretValue().equals(secret)) {
				return Answer.error(401, "invalid_grant", "The provided client credentials are invalid.");
			}
			mechanism = "client_secret";
		}
		else if (otp != null) {
			if (client == null || !client.useOtp(otp)) {
				return Answer.error(401, "invalid_grant", "The one-time code is invalid or was already used.");
			}
			mechanism = "otp";
		}
		else {
			if (bearer == null) {
				return Answer.error(401, "invalid_grant",
						"No credential: send a client secret, an OTP, an assertion, or a short-term token");
			}
			Token token = valid(bearer);
			if (token == null || token.kind != TokenKind.SHORT_TERM || !token.clientId.equals(clientId)) {
				return Answer.error(401, "invalid_token", "The provided token is expired or invalid");
			}
			if (!covers(token.scopes, List.of("tokens:write"))) {
				return Answer.error(403, "insufficient_scope",
						"The token lacks the required scope for this operation");
			}
			mechanism = "rotation";
			parent = this.tokensById.get(token.parentId);
		}
		if (client == null) {
			return Answer.error(401, "invalid_grant", "Unknown client");
		}
		List<String> scopes;
		if (requestedScopes != null) {
			List<String> allowed = (parent != null) ? parent.scopes : client.allowed();
			if (!covers(allowed, requestedScopes)) {
				return Answer.error(403, "insufficient_scope", "The requested scopes are not allowed for this client");
			}
			scopes = requestedScopes;
		}
		else {
			scopes = (parent != null) ? parent.scopes : client.defaults();
		}
		Duration lifetime = (ttl != null) ? Duration.ofSeconds(ttl) : DEFAULT_LONG_TTL;
		if (lifetime.compareTo(this.maxLongTermTtl) > 0) {
			lifetime = this.maxLongTermTtl;
		}
		Token token = issue(TokenKind.LONG_TERM, clientId, scopes, lifetime, mechanism,
				(parent != null) ? parent.id : null);
		Answer answer = tokenAnswer(token);
		answer.headers.put("X-Token-Id", token.id);
		return answer;
	}

	private String verifyAssertion(Clients.Client client, String clientId, String assertion) {
		if (client == null || client.publicKeyValue() == null) {
			return "The client has no registered public key";
		}
		try {
			SignedJWT jwt = SignedJWT.parse(assertion);
			JWSVerifier verifier = verifier(jwt.getHeader(), client.publicKeyValue());
			if (verifier == null || !jwt.verify(verifier)) {
				return "The assertion signature is invalid";
			}
			JWTClaimsSet claims = jwt.getJWTClaimsSet();
			Instant now = this.clock.instant();
			if (!clientId.equals(claims.getIssuer()) || !clientId.equals(claims.getSubject())) {
				return "The assertion's iss and sub must be the client id";
			}
			if (claims.getAudience() == null || !claims.getAudience().contains(this.audience)) {
				return "The assertion's aud must be " + this.audience;
			}
			Date exp = claims.getExpirationTime();
			if (exp == null || exp.toInstant().plusSeconds(60).isBefore(now)) {
				return "The assertion is expired";
			}
			if (claims.getIssueTime() == null) {
				return "The assertion has no iat";
			}
			if (claims.getJWTID() == null || !this.usedJtis.add(claims.getJWTID())) {
				return "The assertion's jti is missing or was already used";
			}
			return null;
		}
		catch (ParseException | JOSEException ex) {
			return "The assertion is not a valid signed JWT";
		}
	}

	private static JWSVerifier verifier(JWSHeader header, PublicKey key) throws JOSEException {
		if (JWSAlgorithm.RS256.equals(header.getAlgorithm()) && key instanceof RSAPublicKey rsa) {
			return new RSASSAVerifier(rsa);
		}
		if (JWSAlgorithm.ES256.equals(header.getAlgorithm()) && key instanceof ECPublicKey ec) {
			return new ECDSAVerifier(ec);
		}
		return null;
	}

	private Answer issueShortTerm(String bearer, String body) {
		if (bearer == null) {
			// the contract's security scheme: the long-term token comes in the Authorization header
			return unauthorized("invalid_token", "Send the long-term token as Authorization: Bearer", null);
		}
		List<String> requestedScopes = null;
		if (!body.isBlank()) {
			JsonNode request = Json.read(body);
			if (request == null || !request.isObject()) {
				return Answer.error(400, "invalid_request", "The request body must be a JSON object");
			}
			String unknown = unknownField(request, SHORT_REQUEST_FIELDS);
			if (unknown != null) {
				return Answer.error(400, "invalid_request", "Unknown field '" + unknown + "'");
			}
			requestedScopes = stringList(request, "scopes");
			if (requestedScopes == null && request.has("scopes")) {
				return Answer.error(400, "invalid_request", "scopes must be an array of strings");
			}
			String inBody = text(request, "long_token");
			if (inBody != null && !inBody.equals(bearer)) {
				return Answer.error(400, "invalid_request", "long_token differs from the Authorization header's");
			}
		}
		Token parent = valid(bearer);
		if (parent == null || parent.kind != TokenKind.LONG_TERM) {
			return Answer.error(401, "invalid_token", "The provided token is expired or invalid");
		}
		List<String> scopes = parent.scopes;
		if (requestedScopes != null && !requestedScopes.isEmpty()) {
			if (!covers(parent.scopes, requestedScopes)) {
				return Answer.error(400, "invalid_scope", "The requested scopes exceed the long-term token's");
			}
			scopes = requestedScopes;
		}
		return tokenAnswer(issue(TokenKind.SHORT_TERM, parent.clientId, scopes, this.shortTermTtl, "exchange",
				parent.id));
	}

	private Answer revokeByApi(String bearer, String path) {
		Matcher matcher = REVOKE_PATH.matcher(path);
		if (!matcher.matches()) {
			return Answer.error(404, "not_found", "The requested resource was not found");
		}
		Token authority = (bearer != null) ? valid(bearer) : null;
		if (authority == null) {
			return Answer.error(401, "invalid_token", "The provided token is expired or invalid");
		}
		if (!covers(authority.scopes, List.of("tokens:revoke"))) {
			// the contract defines 204, 401 and 404 here: a token without the scope does not authorize it
			return unauthorized("insufficient_scope", "The token lacks the tokens:revoke scope",
					"scope=\"tokens:revoke\"");
		}
		Token target = this.tokensById.get(matcher.group(1));
		if (target == null) {
			return Answer.error(404, "not_found", "The requested resource was not found");
		}
		target.revoked = true;
		return new Answer(204, null, "", new LinkedHashMap<>());
	}

	private Answer submitJob(String bearer, String body) {
		Token token = (bearer != null) ? valid(bearer) : null;
		if (token == null || token.kind != TokenKind.SHORT_TERM) {
			return unauthorized("invalid_token", "The provided token is expired or invalid", null);
		}
		if (!covers(token.scopes, List.of("jobs:submit"))) {
			Answer answer = Answer.error(403, "insufficient_scope",
					"The token lacks the required scope for this operation");
			answer.headers.put("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"jobs:submit\"");
			return answer;
		}
		if (!body.isBlank() && Json.read(body) == null) {
			return Answer.error(400, "invalid_request", "The request body must be JSON");
		}
		String jobId = "job_" + hex(6);
		this.jobs.add(new SubmittedJob(jobId, token.id, body));
		Map<String, Object> job = new LinkedHashMap<>();
		job.put("job_id", jobId);
		job.put("status", "submitted");
		return new Answer(201, "application/json", Json.write(job), new LinkedHashMap<>());
	}

	private Answer oauth2ClientCredentials(HttpExchange exchange, String body) {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : body.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				form.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
			}
		}
		String clientId = form.get("client_id");
		String secret = form.get("client_secret");
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			String decoded = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
					StandardCharsets.UTF_8);
			int colon = decoded.indexOf(':');
			if (colon > 0) {
				clientId = decode(decoded.substring(0, colon));
				secret = decode(decoded.substring(colon + 1));
			}
		}
		if (!"client_credentials".equals(form.get("grant_type"))) {
			return oauth2Error(400, "unsupported_grant_type");
		}
		Clients.Client client = this.clients.find(clientId);
		if (client == null || client.secretValue() == null || !client.secretValue().equals(secret)) {
			return oauth2Error(401, "invalid_client");
		}
		List<String> scopes = client.defaults();
		String scope = form.get("scope");
		if (scope != null && !scope.isBlank()) {
			scopes = List.of(scope.trim().split("\\s+"));
			if (!covers(client.allowed(), scopes)) {
				return oauth2Error(400, "invalid_scope");
			}
		}
		Token token = issue(TokenKind.SHORT_TERM, clientId, scopes, this.shortTermTtl, "oauth2_client_credentials",
				null);
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("access_token", token.value);
		response.put("token_type", "Bearer");
		response.put("expires_in", Duration.between(token.issuedAt, token.expiresAt).toSeconds());
		response.put("scope", String.join(" ", scopes));
		return new Answer(200, "application/json", Json.write(response), new LinkedHashMap<>());
	}

	private static Answer unauthorized(String code, String message, String challenge) {
		Answer answer = Answer.error(401, code, message);
		answer.headers.put("WWW-Authenticate",
				"Bearer error=\"" + code + "\"" + ((challenge != null) ? ", " + challenge : ""));
		return answer;
	}

	private static Answer oauth2Error(int status, String error) {
		return new Answer(status, "application/json", Json.write(Map.of("error", error)), new LinkedHashMap<>());
	}

	private static String decode(String value) {
		return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
	}

	// ---------------------------------------------------------------- tokens

	private Token issue(TokenKind kind, String clientId, List<String> scopes, Duration lifetime, String mechanism,
			String parentId) {
		Instant now = this.clock.instant();
		String id = ((kind == TokenKind.LONG_TERM) ? "tok_lt_" : "tok_st_") + hex(8);
		Instant expiresAt = now.plus(lifetime);
		JWTClaimsSet claims = new JWTClaimsSet.Builder().jwtID(id)
			.subject(clientId)
			.issuer(baseUrl())
			.claim("scope", String.join(" ", scopes))
			.claim("typ", (kind == TokenKind.LONG_TERM) ? "lt" : "st")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(expiresAt))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		Token token = new Token(id, kind, jwt.serialize(), clientId, List.copyOf(scopes), now, expiresAt, mechanism,
				parentId);
		this.tokensByValue.put(token.value, token);
		this.tokensById.put(token.id, token);
		this.issued.add(token);
		return token;
	}

	private Token valid(String value) {
		Token token = this.tokensByValue.get(value);
		if (token == null || token.revoked || !this.clock.instant().isBefore(token.expiresAt)) {
			return null;
		}
		return token;
	}

	private Answer tokenAnswer(Token token) {
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("token_type", "Bearer");
		response.put("access_token", token.value);
		response.put("expires_in", Duration.between(token.issuedAt, token.expiresAt).toSeconds());
		response.put("expires_at", token.expiresAt.toString());
		response.put("scopes", token.scopes);
		response.put("token_id", token.id);
		return new Answer(201, "application/json", Json.write(response), new LinkedHashMap<>());
	}

	static boolean covers(Collection<String> granted, Collection<String> requested) {
		for (String scope : requested) {
			boolean covered = granted.stream()
				.anyMatch((grant) -> grant.equals(scope)
						|| (grant.endsWith(":*") && scope.startsWith(grant.substring(0, grant.length() - 1))));
			if (!covered) {
				return false;
			}
		}
		return true;
	}

	// ---------------------------------------------------------------- HTTP plumbing

	private static Endpoint endpoint(String path) {
		return switch (path) {
			case "/v2/auth/tokens/long" -> Endpoint.LONG_TERM_TOKEN;
			case "/v2/auth/tokens/short" -> Endpoint.SHORT_TERM_TOKEN;
			case "/v2/jobs/single-doc" -> Endpoint.SUBMIT_JOB;
			case "/v2/oauth2/token" -> Endpoint.OAUTH2_TOKEN;
			default -> REVOKE_PATH.matcher(path).matches() ? Endpoint.REVOKE : null;
		};
	}

	private static String bearer(HttpExchange exchange) {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String value = authorization.substring(7).trim();
		return value.isEmpty() ? null : value;
	}

	private static String readBody(HttpExchange exchange) throws IOException {
		try (InputStream in = exchange.getRequestBody()) {
			return new String(in.readNBytes(1024 * 1024), StandardCharsets.UTF_8);
		}
	}

	private static Map<String, String> headers(HttpExchange exchange) {
		Map<String, String> headers = new LinkedHashMap<>();
		exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.isEmpty() ? "" : values.get(0)));
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

	private static String unknownField(JsonNode request, Set<String> allowed) {
		for (String name : request.propertyNames()) {
			if (!allowed.contains(name)) {
				return name;
			}
		}
		return null;
	}

	private static String text(JsonNode request, String field) {
		JsonNode node = request.get(field);
		return (node != null && node.isString() && !node.asString().isEmpty()) ? node.asString() : null;
	}

	private static List<String> stringList(JsonNode request, String field) {
		JsonNode node = request.get(field);
		if (node == null || !node.isArray()) {
			return null;
		}
		List<String> values = new ArrayList<>();
		for (JsonNode element : node) {
			if (!element.isString()) {
				return null;
			}
			values.add(element.asString());
		}
		return values;
	}

	private String hex(int bytes) {
		byte[] value = new byte[bytes];
		this.random.nextBytes(value);
		return HexFormat.of().formatHex(value);
	}

	/**
	 * An answer to send.
	 */
	private static final class Answer {

		final int status;

		final String contentType;

		final String body;

		final Map<String, String> headers;

		Answer(int status, String contentType, String body, Map<String, String> headers) {
			this.status = status;
			this.contentType = contentType;
			this.body = body;
			this.headers = new LinkedHashMap<>(headers);
		}

		static Answer error(int status, String code, String message) {
			Map<String, Object> error = new LinkedHashMap<>();
			error.put("code", code);
			error.put("message", message);
			return new Answer(status, "application/json", Json.write(error), new LinkedHashMap<>());
		}

	}

	/**
	 * A token in the emulator's registry.
	 */
	private static final class Token {

		final String id;

		final TokenKind kind;

		final String value;

		final String clientId;

		final List<String> scopes;

		final Instant issuedAt;

		final Instant expiresAt;

		final String mechanism;

		final String parentId;

		volatile boolean revoked;

		Token(String id, TokenKind kind, String value, String clientId, List<String> scopes, Instant issuedAt,
				Instant expiresAt, String mechanism, String parentId) {
			this.id = id;
			this.kind = kind;
			this.value = value;
			this.clientId = clientId;
			this.scopes = scopes;
			this.issuedAt = issuedAt;
			this.expiresAt = expiresAt;
			this.mechanism = mechanism;
			this.parentId = parentId;
		}

		IssuedToken snapshot() {
			return new IssuedToken(this.id, this.kind, this.value, this.clientId, this.scopes, this.issuedAt,
					this.expiresAt, this.revoked, this.mechanism, this.parentId);
		}

	}

	/**
	 * Settings of an emulator.
	 */
	public static final class Builder {

		private int port;

		private InetAddress bindAddress = InetAddress.getLoopbackAddress();

		private Clock clock = Clock.systemUTC();

		private Duration shortTermTtl = Duration.ofMinutes(15);

		private Duration maxLongTermTtl = Duration.ofDays(90);

		private String audience;

		private SSLContext sslContext;

		private Builder() {
		}

		/**
		 * Serve HTTPS with the given context (its key manager holds the server certificate);
		 * {@link C2MEmulator#baseUrl()} then names {@code https://localhost}.
		 * @param sslContext the server's TLS context
		 * @return this
		 */
		public Builder https(SSLContext sslContext) {
			this.sslContext = Objects.requireNonNull(sslContext);
			return this;
		}

		/**
		 * The port, 0 (the default) for a free one.
		 * @param port the port
		 * @return this
		 */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * The address to listen on (default: loopback).
		 * @param bindAddress the address
		 * @return this
		 */
		public Builder bindAddress(InetAddress bindAddress) {
			this.bindAddress = Objects.requireNonNull(bindAddress);
			return this;
		}

		/**
		 * The clock of issuance and expiry (default: the system clock).
		 * @param clock the clock
		 * @return this
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock);
			return this;
		}

		/**
		 * The lifetime of short-term tokens (default 15 minutes).
		 * @param ttl the lifetime
		 * @return this
		 */
		public Builder shortTermTtl(Duration ttl) {
			this.shortTermTtl = Objects.requireNonNull(ttl);
			return this;
		}

		/**
		 * The longest lifetime of long-term tokens (default 90 days).
		 * @param ttl the lifetime
		 * @return this
		 */
		public Builder maxLongTermTtl(Duration ttl) {
			this.maxLongTermTtl = Objects.requireNonNull(ttl);
			return this;
		}

		/**
		 * The {@code aud} that assertions must carry (default: the base URL).
		 * @param audience the audience
		 * @return this
		 */
		public Builder audience(String audience) {
			this.audience = audience;
			return this;
		}

		/**
		 * Start the emulator.
		 * @return the running emulator
		 */
		public C2MEmulator start() {
			return new C2MEmulator(this);
		}

	}

}
