package io.github.c2mspring.emulator;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

/**
 * An emulator of the Click2Mail v2 auth API, on loopback, for tests and offline runs. It
 * follows the contract ({@code c2m-auth-v2.yaml}): the three auth endpoints with their
 * status codes and {@code AuthError} bodies, signed JWTs with real expiry, credential
 * checks (secret, one-time code valid once, assertion verified against the client's
 * public key), scopes ({@code tokens:write} to rotate, {@code tokens:revoke} to revoke),
 * TTL clamping and revocation. It also serves one protected endpoint,
 * {@code POST /v2/jobs/single-doc}, which needs a short-term token with
 * {@code jobs:submit}. It answers only the statuses the contract defines for each
 * operation and enforces its security schemes: the exchange takes the long-term token
 * from the {@code Authorization} header only, an issuance with a credential in the body
 * needs the {@code X-Client-Id} header, and a token without {@code tokens:revoke} gets
 * 401 {@code insufficient_scope} from a revocation (faults injected by a test are the
 * exception).
 * <p>
 * Revoking a long-term token stops it from being exchanged or used; short-term tokens
 * already exchanged from it stay valid until they expire unless revoked themselves.
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

	private final Clients clients = new Clients();

	private final Faults faults = new Faults();

	private final RequestLog log = new RequestLog();

	private final EmulatorServer server;

	private final String audience;

	private final TokenAuthority authority;

	private final AssertionVerifier assertions;

	private final JobsEndpoint jobs;

	private C2MEmulator(Builder builder) {
		Ids ids = new Ids();
		this.server = new EmulatorServer(builder.bindAddress, builder.port, builder.sslContext, builder.clock,
				this.faults, this.log);
		String baseUrl = this.server.baseUrl();
		this.audience = (builder.audience != null) ? builder.audience : baseUrl;
		this.authority = new TokenAuthority(builder.clock, baseUrl, ids, builder.shortTermTtl, builder.maxLongTermTtl);
		this.assertions = new AssertionVerifier(builder.clock, this.audience);
		this.jobs = new JobsEndpoint(this.authority, ids);
		Map<Endpoint, Route> routes = new EnumMap<>(Endpoint.class);
		routes.put(Endpoint.LONG_TERM_TOKEN, new LongTermTokenEndpoint(this.clients, this.authority, this.assertions));
		routes.put(Endpoint.SHORT_TERM_TOKEN, new ShortTermTokenEndpoint(this.authority));
		routes.put(Endpoint.REVOKE, new RevokeEndpoint(this.authority));
		routes.put(Endpoint.SUBMIT_JOB, this.jobs);
		this.server.start(routes);
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
		return this.server.baseUrl();
	}

	/**
	 * The port the emulator listens on.
	 * @return the port
	 */
	public int port() {
		return this.server.port();
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
		this.authority.setShortTermTtl(ttl);
	}

	/**
	 * Set the longest lifetime of the long-term tokens issued from now on (longer
	 * requests are clamped).
	 * @param ttl the lifetime
	 */
	public void setMaxLongTermTtl(Duration ttl) {
		this.authority.setMaxLongTermTtl(ttl);
	}

	/**
	 * Set a delay added before every answer.
	 * @param latency the delay
	 */
	public void setLatency(Duration latency) {
		this.server.setLatency(latency);
	}

	/**
	 * Revoke a token, as if it had been revoked through the API.
	 * @param tokenId the token id
	 */
	public void revoke(String tokenId) {
		Token token = this.authority.find(tokenId);
		if (token == null) {
			throw new IllegalArgumentException("no token " + tokenId);
		}
		token.revoke();
	}

	/**
	 * Whether a token is revoked.
	 * @param tokenId the token id
	 * @return whether it is revoked
	 */
	public boolean isRevoked(String tokenId) {
		Token token = this.authority.find(tokenId);
		return token != null && token.isRevoked();
	}

	/**
	 * How many requests an endpoint received (counted on arrival, before any fault).
	 * @param endpoint the endpoint
	 * @return the count
	 */
	public int requestCount(Endpoint endpoint) {
		return this.log.count(endpoint);
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
		return this.log.awaitCount(endpoint, count, timeout);
	}

	/**
	 * The requests answered so far, in the order their answers were sent.
	 * @return the requests
	 */
	public List<RecordedRequest> requests() {
		return this.log.requests();
	}

	/**
	 * Every token issued so far, as it stands now.
	 * @return the tokens
	 */
	public List<IssuedToken> issuedTokens() {
		return this.authority.issuedTokens();
	}

	/**
	 * How many tokens of a kind were issued.
	 * @param kind the kind
	 * @return the count
	 */
	public int issuedCount(TokenKind kind) {
		return this.authority.issuedCount(kind);
	}

	/**
	 * The jobs submitted to the protected endpoint.
	 * @return the jobs
	 */
	public List<SubmittedJob> submittedJobs() {
		return this.jobs.submittedJobs();
	}

	/**
	 * Forget every token, request, job and fault (registered clients stay; used one-time
	 * codes stay used).
	 */
	public void reset() {
		this.authority.clear();
		this.log.clear();
		this.jobs.clear();
		this.assertions.clear();
		this.faults.clear();
		this.server.setLatency(Duration.ZERO);
	}

	@Override
	public void close() {
		this.server.close();
	}

	@Override
	public String toString() {
		return "C2MEmulator[" + baseUrl() + "]";
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

		private @Nullable String audience;

		private @Nullable SSLContext sslContext;

		private Builder() {
		}

		/**
		 * Serve HTTPS with the given context (its key manager holds the server
		 * certificate); {@link C2MEmulator#baseUrl()} then names
		 * {@code https://localhost}.
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
