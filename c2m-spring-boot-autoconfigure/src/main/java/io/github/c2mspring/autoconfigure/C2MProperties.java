package io.github.c2mspring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.c2mspring.auth.assertion.AssertionAlgorithm;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the Click2Mail starter. Exactly one credential is
 * configured: {@code c2m.auth.client-secret}, {@code c2m.auth.otp-code},
 * {@code c2m.auth.assertion.private-key} or {@code c2m.auth.long-term-token}.
 */
@ConfigurationProperties("c2m")
public class C2MProperties {

	/** The Click2Mail production API. */
	public static final String DEFAULT_BASE_URL = "https://api.click2mail.com/v2";

	/**
	 * Whether to auto-configure the Click2Mail client.
	 */
	private boolean enabled = true;

	/**
	 * Base URL of the Click2Mail v2 API. Must be https, except on a loopback address or
	 * with c2m.http.allow-insecure-base-url.
	 */
	private String baseUrl = DEFAULT_BASE_URL;

	/**
	 * Client identifier issued by Click2Mail.
	 */
	private @Nullable String clientId;

	/**
	 * Whether a c2m.* key that binds to no property (a misspelling) stops startup. When
	 * false, it is only logged as a warning.
	 */
	private boolean strictProperties = true;

	private final Auth auth = new Auth();

	private final Http http = new Http();

	/**
	 * Further Click2Mail accounts, by name (lowercase letters, digits and dashes; not
	 * "default"). Each takes every c2m.* setting it does not set itself, except the
	 * client id and the credential, which it must set: for example
	 * c2m.clients.billing.client-id and c2m.clients.billing.auth.client-secret. Their
	 * Spring Security registration id is c2m-NAME.
	 */
	private final Map<String, C2MProperties> clients = new LinkedHashMap<>();

	public boolean isStrictProperties() {
		return this.strictProperties;
	}

	public void setStrictProperties(boolean strictProperties) {
		this.strictProperties = strictProperties;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public @Nullable String getClientId() {
		return this.clientId;
	}

	public void setClientId(@Nullable String clientId) {
		this.clientId = clientId;
	}

	public Auth getAuth() {
		return this.auth;
	}

	public Http getHttp() {
		return this.http;
	}

	public Map<String, C2MProperties> getClients() {
		return this.clients;
	}

	@Override
	public String toString() {
		return "C2MProperties[baseUrl=" + this.baseUrl + ", clientId=" + this.clientId + ", credential=<masked>]";
	}

	/**
	 * How the starter authenticates.
	 */
	public static class Auth {

		/**
		 * Client secret, to issue the long-term token with grant client_credentials.
		 */
		private @Nullable String clientSecret;

		/**
		 * One-time code, to issue the long-term token once with grant client_credentials.
		 */
		private @Nullable String otpCode;

		/**
		 * Long-term token issued beforehand, used instead of issuing one.
		 */
		private @Nullable String longTermToken;

		/**
		 * Safety margin: a token with this little left (or a third of its life, if less)
		 * is no longer handed out.
		 */
		private Duration clockSkew = Duration.ofSeconds(60);

		private final Assertion assertion = new Assertion();

		private final LongTerm longTerm = new LongTerm();

		private final ShortTerm shortTerm = new ShortTerm();

		private final Retry retry = new Retry();

		private final Store store = new Store();

		public Store getStore() {
			return this.store;
		}

		/**
		 * Whether the short-term tokens held are revoked when the application shuts down.
		 */
		private boolean revokeOnShutdown;

		/**
		 * Longest the revocation on shutdown may delay the shutdown.
		 */
		private Duration revokeOnShutdownTimeout = Duration.ofSeconds(5);

		/**
		 * Longest a blocking caller (C2MAuthOperations, the blocking OAuth2 client
		 * manager) waits for a token that has to be obtained before it fails. When unset:
		 * twice c2m.auth.store.lease plus twice c2m.http.call-timeout (3m with the
		 * defaults), which covers waiting for another instance's issuance and then the
		 * issue and exchange calls.
		 */
		private @Nullable Duration blockingTimeout;

		public @Nullable Duration getBlockingTimeout() {
			return this.blockingTimeout;
		}

		public void setBlockingTimeout(@Nullable Duration blockingTimeout) {
			this.blockingTimeout = blockingTimeout;
		}

		public boolean isRevokeOnShutdown() {
			return this.revokeOnShutdown;
		}

		public void setRevokeOnShutdown(boolean revokeOnShutdown) {
			this.revokeOnShutdown = revokeOnShutdown;
		}

		public Duration getRevokeOnShutdownTimeout() {
			return this.revokeOnShutdownTimeout;
		}

		public void setRevokeOnShutdownTimeout(Duration revokeOnShutdownTimeout) {
			this.revokeOnShutdownTimeout = revokeOnShutdownTimeout;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public @Nullable String getClientSecret() {
			return this.clientSecret;
		}

		public void setClientSecret(@Nullable String clientSecret) {
			this.clientSecret = clientSecret;
		}

		public @Nullable String getOtpCode() {
			return this.otpCode;
		}

		public void setOtpCode(@Nullable String otpCode) {
			this.otpCode = otpCode;
		}

		public @Nullable String getLongTermToken() {
			return this.longTermToken;
		}

		public void setLongTermToken(@Nullable String longTermToken) {
			this.longTermToken = longTermToken;
		}

		public Duration getClockSkew() {
			return this.clockSkew;
		}

		public void setClockSkew(Duration clockSkew) {
			this.clockSkew = clockSkew;
		}

		public Assertion getAssertion() {
			return this.assertion;
		}

		public LongTerm getLongTerm() {
			return this.longTerm;
		}

		public ShortTerm getShortTerm() {
			return this.shortTerm;
		}

		@Override
		public String toString() {
			return "Auth[<masked>]";
		}

	}

	/**
	 * A JWT assertion signed with the client's private key (grant assertion).
	 */
	public static class Assertion {

		/**
		 * PEM file of the client's private key (PKCS#8, RSA of 2048 bits or more, or EC
		 * P-256).
		 */
		private @Nullable Resource privateKey;

		/**
		 * Key identifier to put in the assertion's "kid" header.
		 */
		private @Nullable String keyId;

		/**
		 * Signing algorithm. Defaults to the one that fits the key: RS256 for RSA, ES256
		 * for EC.
		 */
		private @Nullable AssertionAlgorithm algorithm;

		/**
		 * Audience ("aud") of the assertion. Defaults to the base URL.
		 */
		private @Nullable String audience;

		/**
		 * Lifetime of each assertion (exp - iat).
		 */
		private Duration lifetime = Duration.ofMinutes(5);

		public @Nullable Resource getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(@Nullable Resource privateKey) {
			this.privateKey = privateKey;
		}

		public @Nullable String getKeyId() {
			return this.keyId;
		}

		public void setKeyId(@Nullable String keyId) {
			this.keyId = keyId;
		}

		public @Nullable AssertionAlgorithm getAlgorithm() {
			return this.algorithm;
		}

		public void setAlgorithm(@Nullable AssertionAlgorithm algorithm) {
			this.algorithm = algorithm;
		}

		public @Nullable String getAudience() {
			return this.audience;
		}

		public void setAudience(@Nullable String audience) {
			this.audience = audience;
		}

		public Duration getLifetime() {
			return this.lifetime;
		}

		public void setLifetime(Duration lifetime) {
			this.lifetime = lifetime;
		}

	}

	/**
	 * The long-term token the starter issues.
	 */
	public static class LongTerm {

		/**
		 * Scopes to request for the long-term token. Empty for the client's default
		 * scopes.
		 */
		private List<String> scopes = new ArrayList<>();

		/**
		 * Lifetime to request for the long-term token, from 1 hour to 90 days. The server
		 * may clamp it.
		 */
		private Duration ttl = Duration.ofDays(30);

		private final Rotation rotation = new Rotation();

		public Rotation getRotation() {
			return this.rotation;
		}

		public List<String> getScopes() {
			return this.scopes;
		}

		public void setScopes(List<String> scopes) {
			this.scopes = scopes;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

	/**
	 * The short-term tokens the starter exchanges.
	 */
	public static class ShortTerm {

		/**
		 * Scopes of the short-term token used by c2mWebClient and c2mRestClient, narrowed
		 * from the long-term token's. Empty for all of the long-term token's scopes.
		 */
		private List<String> scopes = new ArrayList<>();

		/**
		 * Point of a short-term token's life at which it is replaced in the background,
		 * from 0 to 1 (exclusive).
		 */
		private double refreshAt = 0.5;

		/**
		 * Random spread around refresh-at, as a fraction of the token's life, so that
		 * instances started together spread their refreshes.
		 */
		private double refreshJitter = 0.1;

		public List<String> getScopes() {
			return this.scopes;
		}

		public void setScopes(List<String> scopes) {
			this.scopes = scopes;
		}

		public double getRefreshAt() {
			return this.refreshAt;
		}

		public void setRefreshAt(double refreshAt) {
			this.refreshAt = refreshAt;
		}

		public double getRefreshJitter() {
			return this.refreshJitter;
		}

		public void setRefreshJitter(double refreshJitter) {
			this.refreshJitter = refreshJitter;
		}

	}

	/**
	 * Rotation of the long-term token through a short-term token with tokens:write.
	 */
	public static class Rotation {

		/**
		 * Whether the long-term token rotates itself before it expires (it needs the
		 * tokens:write scope).
		 */
		private boolean enabled = true;

		/**
		 * Point of the long-term token's life at which it rotates, from 0 to 1
		 * (exclusive).
		 */
		private double rotateAt = 0.5;

		/**
		 * If set, rotate this long before the long-term token expires instead of at
		 * rotate-at.
		 */
		private @Nullable Duration rotateBefore;

		/**
		 * Whether the previous long-term token is revoked after a rotation.
		 */
		private boolean revokePrevious = true;

		/**
		 * How long the previous long-term token stays valid after a rotation before it is
		 * revoked, so that instances still using it finish their exchanges and pick up
		 * the new one (they look at the store every c2m.auth.store.check-interval).
		 */
		private Duration gracePeriod = Duration.ofMinutes(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public double getRotateAt() {
			return this.rotateAt;
		}

		public void setRotateAt(double rotateAt) {
			this.rotateAt = rotateAt;
		}

		public @Nullable Duration getRotateBefore() {
			return this.rotateBefore;
		}

		public void setRotateBefore(@Nullable Duration rotateBefore) {
			this.rotateBefore = rotateBefore;
		}

		public boolean isRevokePrevious() {
			return this.revokePrevious;
		}

		public void setRevokePrevious(boolean revokePrevious) {
			this.revokePrevious = revokePrevious;
		}

		public Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

	}

	/**
	 * Where the long-term token is kept.
	 */
	public static class Store {

		/**
		 * The store: memory (this process only), jdbc (the application's DataSource) or
		 * redis (the application's RedisConnectionFactory); the last two are shared by a
		 * fleet and kept across restarts.
		 */
		private Type type = Type.MEMORY;

		/**
		 * Table of the JDBC store.
		 */
		private String tableName = "c2m_long_term_token";

		/**
		 * Prefix of the keys of the Redis store: a client's entry is
		 * "<prefix>{<client-id>}", its lease "<prefix>{<client-id>}:lease".
		 */
		private String redisKeyPrefix = "c2m:long-term-token:";

		/**
		 * Whether the JDBC store creates its table at startup (if it does not exist).
		 */
		private boolean initializeSchema;

		/**
		 * Base64-encoded 256-bit AES key that seals the stored token (for example the
		 * output of "openssl rand -base64 32").
		 */
		private @Nullable String encryptionKey;

		/**
		 * Identifier of encryption-key, recorded with each sealed value so keys can be
		 * rotated.
		 */
		private String encryptionKeyId = "k1";

		/**
		 * Earlier keys, by id, still accepted for reading while values are re-sealed with
		 * the current key.
		 */
		private Map<String, String> previousEncryptionKeys = new LinkedHashMap<>();

		/**
		 * Whether a shared store (JDBC or Redis) may keep the token in plain text when no
		 * encryption key is set.
		 */
		private boolean allowPlaintext;

		/**
		 * How long an instance may take to issue or rotate the fleet's token before
		 * another may take over (also how long an instance that died mid-way holds the
		 * others up). A shared store needs it longer than c2m.http.call-timeout.
		 */
		private Duration lease = Duration.ofMinutes(1);

		/**
		 * How often an instance looks at the store for a long-term token another instance
		 * stored (after a rotation) and for a rotated-out token due for revocation: in
		 * the background, and when the token is used.
		 */
		private Duration checkInterval = Duration.ofMinutes(1);

		/**
		 * Longest one call to the store (a read, a write, the lease) may take before it
		 * fails and the step that needed it is given up, to be tried afresh later: a
		 * database that stops answering never holds up the callers or the background
		 * checks for longer. Applied as the JDBC query and network timeout too. Must be
		 * shorter than the lease.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		public Type getType() {
			return this.type;
		}

		public void setType(Type type) {
			this.type = type;
		}

		public String getTableName() {
			return this.tableName;
		}

		public String getRedisKeyPrefix() {
			return this.redisKeyPrefix;
		}

		public void setRedisKeyPrefix(String redisKeyPrefix) {
			this.redisKeyPrefix = redisKeyPrefix;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

		public boolean isInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(boolean initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public @Nullable String getEncryptionKey() {
			return this.encryptionKey;
		}

		public void setEncryptionKey(@Nullable String encryptionKey) {
			this.encryptionKey = encryptionKey;
		}

		public String getEncryptionKeyId() {
			return this.encryptionKeyId;
		}

		public void setEncryptionKeyId(String encryptionKeyId) {
			this.encryptionKeyId = encryptionKeyId;
		}

		public Map<String, String> getPreviousEncryptionKeys() {
			return this.previousEncryptionKeys;
		}

		public void setPreviousEncryptionKeys(Map<String, String> previousEncryptionKeys) {
			this.previousEncryptionKeys = previousEncryptionKeys;
		}

		public boolean isAllowPlaintext() {
			return this.allowPlaintext;
		}

		public void setAllowPlaintext(boolean allowPlaintext) {
			this.allowPlaintext = allowPlaintext;
		}

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		@Override
		public String toString() {
			return "Store[type=" + this.type + ", tableName=" + this.tableName + ", redisKeyPrefix="
					+ this.redisKeyPrefix + ", keys=<masked>]";
		}

		/**
		 * The kinds of store.
		 */
		public enum Type {

			/** In this process's memory. */
			MEMORY,

			/** In the application's relational database. */
			JDBC,

			/** In the application's Redis. */
			REDIS

		}

	}

	/**
	 * An outbound HTTP proxy for the calls to Click2Mail (HTTP CONNECT tunnel).
	 */
	public static class Proxy {

		/**
		 * Proxy host. No proxy when unset.
		 */
		private @Nullable String host;

		/**
		 * Proxy port.
		 */
		private @Nullable Integer port;

		/**
		 * User name for the proxy, if it asks for credentials.
		 */
		private @Nullable String username;

		/**
		 * Password for the proxy.
		 */
		private @Nullable String password;

		/**
		 * Hosts reached without the proxy, as a regular expression (for example
		 * "localhost|.*\\.internal").
		 */
		private @Nullable String nonProxyHosts;

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getNonProxyHosts() {
			return this.nonProxyHosts;
		}

		public void setNonProxyHosts(@Nullable String nonProxyHosts) {
			this.nonProxyHosts = nonProxyHosts;
		}

		@Override
		public String toString() {
			return "Proxy[host=" + this.host + ", port=" + this.port + ", username=" + this.username
					+ ", password=<masked>]";
		}

	}

	/**
	 * Retries of failed token requests: exponential backoff with full jitter.
	 */
	public static class Retry {

		/**
		 * First retry delay after a failed token request.
		 */
		private Duration initialBackoff = Duration.ofSeconds(1);

		/**
		 * Cap of the retry delay. A server's Retry-After is always honoured.
		 */
		private Duration maxBackoff = Duration.ofSeconds(60);

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

	/**
	 * HTTP settings of the calls to Click2Mail.
	 */
	public static class Http {

		/**
		 * Connect timeout.
		 */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/**
		 * Read timeout.
		 */
		private Duration readTimeout = Duration.ofSeconds(10);

		/**
		 * Longest a whole token call may take, connection included.
		 */
		private Duration callTimeout = Duration.ofSeconds(30);

		/**
		 * Largest token-endpoint answer the client reads; a larger one fails.
		 */
		private DataSize maxResponseSize = DataSize.ofKilobytes(256);

		/**
		 * Whether a plain-http base URL that is not on a loopback address is allowed.
		 * Tokens and credentials then cross the network in clear text: only for a trusted
		 * network.
		 */
		private boolean allowInsecureBaseUrl;

		/**
		 * Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) whose trust material the
		 * calls to Click2Mail use, for a corporate CA. Hostname verification stays on.
		 */
		private @Nullable String sslBundle;

		/**
		 * Whether the calls to Click2Mail are logged on the wire (category
		 * io.github.c2mspring.wire at DEBUG), with every header and field that carries a
		 * secret masked.
		 */
		private boolean wireLogging;

		private final Proxy proxy = new Proxy();

		public boolean isWireLogging() {
			return this.wireLogging;
		}

		public void setWireLogging(boolean wireLogging) {
			this.wireLogging = wireLogging;
		}

		public @Nullable String getSslBundle() {
			return this.sslBundle;
		}

		public void setSslBundle(@Nullable String sslBundle) {
			this.sslBundle = sslBundle;
		}

		public Proxy getProxy() {
			return this.proxy;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

		public DataSize getMaxResponseSize() {
			return this.maxResponseSize;
		}

		public void setMaxResponseSize(DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
		}

		public boolean isAllowInsecureBaseUrl() {
			return this.allowInsecureBaseUrl;
		}

		public void setAllowInsecureBaseUrl(boolean allowInsecureBaseUrl) {
			this.allowInsecureBaseUrl = allowInsecureBaseUrl;
		}

	}

}
