package io.github.c2mspring.auth;

/**
 * A setting of the core library that bears on a failure: which constructor or builder
 * argument to look at, in the library's own terms. A {@link C2MAuthException} (and a
 * {@link io.github.c2mspring.auth.store.TokenCipherException}) carries the settings that
 * may fix or explain it, so that an adapter (the Spring Boot auto-configuration's failure
 * analyzer, for one) can name its own configuration keys for them; the core's messages
 * never name an adapter's keys.
 */
public enum C2MSetting {

	/**
	 * How long a blocking caller waits for a token before giving up
	 * ({@code TokenExecution}'s blocking timeout).
	 */
	BLOCKING_TIMEOUT("the blocking timeout"),

	/**
	 * How long one call to a blocking long-term token store may take
	 * ({@code TokenExecution}'s store timeout).
	 */
	STORE_TIMEOUT("the store timeout"),

	/**
	 * How long one call to the auth API may take in all ({@code C2MAuthClient}'s call
	 * timeout).
	 */
	CALL_TIMEOUT("the call timeout"),

	/**
	 * How long the connector waits for the next bytes of an answer (the read timeout of
	 * the {@code WebClient}'s connector).
	 */
	READ_TIMEOUT("the read timeout"),

	/**
	 * The certificates the connector trusts (the SSL configuration of the
	 * {@code WebClient}'s connector).
	 */
	TRUST("the trusted certificates"),

	/**
	 * The largest answer the client reads ({@code C2MAuthClient}'s maximum response size
	 * and the codecs' in-memory limit).
	 */
	MAX_RESPONSE_SIZE("the maximum response size"),

	/**
	 * The credential a long-term token is issued from (a {@link C2MCredential}: client
	 * secret, one-time code, assertion key or pre-provisioned token).
	 */
	CREDENTIAL("the credential"),

	/**
	 * The one-time code a long-term token is issued from
	 * ({@link C2MCredential.OneTimePassword}).
	 */
	OTP_CODE("the one-time code"),

	/**
	 * Whether a store reads and writes plain text ({@code TokenCipher.plaintext()}).
	 */
	ALLOW_PLAINTEXT("plain-text storage"),

	/**
	 * The key a {@code TokenCipher} seals with.
	 */
	ENCRYPTION_KEY("the encryption key"),

	/**
	 * The keys, besides the current one, that a {@code TokenCipher} decrypts with.
	 */
	PREVIOUS_ENCRYPTION_KEYS("the previous encryption keys");

	private final String description;

	C2MSetting(String description) {
		this.description = description;
	}

	/**
	 * The setting in words, as the core's messages name it.
	 * @return the description, such as {@code "the store timeout"}
	 */
	public String description() {
		return this.description;
	}

}
