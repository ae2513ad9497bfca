package io.github.c2mspring.auth.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Body of {@code POST /auth/tokens/long}: issue (or rotate) a long-term token.
 * <p>
 * The contract allows exactly one credential mechanism per call; create instances through
 * the factory methods, one per mechanism, which enforce that. A rotation (authorized by a
 * short-term token with {@code tokens:write} in the {@code Authorization} header) carries
 * no credential in the body at all.
 *
 * @param grantType {@code client_credentials} or {@code assertion}
 * @param clientId the client identifier issued by Click2Mail
 * @param clientSecret the client secret, for {@code client_credentials} with a secret
 * @param otpCode a one-time code, for {@code client_credentials} with an OTP
 * @param assertionType {@value #JWT_BEARER_ASSERTION_TYPE} for {@code assertion}
 * @param assertion the signed JWT, for {@code assertion}
 * @param scopes the scopes to assign, or {@code null} for the client's default
 * @param ttlSeconds the requested lifetime (3600 to 7776000), or {@code null} for the
 * server's default; the server may clamp it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LongTokenRequest(@JsonProperty("grant_type") String grantType, @JsonProperty("client_id") String clientId,
		@JsonProperty("client_secret") @Nullable String clientSecret,
		@JsonProperty("otp_code") @Nullable String otpCode,
		@JsonProperty("assertion_type") @Nullable String assertionType,
		@JsonProperty("assertion") @Nullable String assertion, @JsonProperty("scopes") @Nullable List<String> scopes,
		@JsonProperty("ttl_seconds") @Nullable Long ttlSeconds) {

	/** The {@code grant_type} for a client secret, an OTP, or a rotation. */
	public static final String CLIENT_CREDENTIALS = "client_credentials";

	/** The {@code grant_type} for a signed JWT assertion. */
	public static final String ASSERTION = "assertion";

	/** The only {@code assertion_type} the contract defines. */
	public static final String JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	/** Smallest {@code ttl_seconds} the contract accepts (1 hour). */
	public static final long MIN_TTL_SECONDS = 3600;

	/** Largest {@code ttl_seconds} the contract accepts (90 days). */
	public static final long MAX_TTL_SECONDS = 7776000;

	public LongTokenRequest {
		Assert.hasText(grantType, "grantType must not be empty");
		Assert.isTrue(CLIENT_CREDENTIALS.equals(grantType) || ASSERTION.equals(grantType),
				() -> "grantType must be client_credentials or assertion, not " + grantType);
		Assert.hasText(clientId, "clientId must not be empty");
		int mechanisms = count(clientSecret) + count(otpCode) + count(assertion);
		Assert.isTrue(mechanisms <= 1, "a long-term token request carries at most one credential mechanism");
		if (ASSERTION.equals(grantType)) {
			Assert.hasText(assertion, "an assertion grant needs an assertion");
			Assert.isTrue(JWT_BEARER_ASSERTION_TYPE.equals(assertionType),
					() -> "assertionType must be " + JWT_BEARER_ASSERTION_TYPE);
		}
		else {
			Assert.isNull(assertion, "an assertion needs grant_type assertion");
			Assert.isNull(assertionType, "assertion_type needs grant_type assertion");
		}
		if (ttlSeconds != null) {
			Assert.isTrue(ttlSeconds >= MIN_TTL_SECONDS && ttlSeconds <= MAX_TTL_SECONDS,
					() -> "ttlSeconds must be between 3600 (1 hour) and 7776000 (90 days), not " + ttlSeconds);
		}
		scopes = (scopes != null) ? List.copyOf(scopes) : null;
	}

	/**
	 * A request authenticated by the client secret.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @param scopes the scopes, or {@code null} for the client's default
	 * @param ttlSeconds the requested lifetime in seconds, or {@code null}
	 * @return the request
	 */
	public static LongTokenRequest withClientSecret(String clientId, String clientSecret, @Nullable List<String> scopes,
			@Nullable Long ttlSeconds) {
		Assert.hasText(clientSecret, "clientSecret must not be empty");
		return new LongTokenRequest(CLIENT_CREDENTIALS, clientId, clientSecret, null, null, null, scopes, ttlSeconds);
	}

	/**
	 * A request authenticated by a one-time code (valid once).
	 * @param clientId the client id
	 * @param otpCode the one-time code
	 * @param scopes the scopes, or {@code null} for the client's default
	 * @param ttlSeconds the requested lifetime in seconds, or {@code null}
	 * @return the request
	 */
	public static LongTokenRequest withOtp(String clientId, String otpCode, @Nullable List<String> scopes,
			@Nullable Long ttlSeconds) {
		Assert.hasText(otpCode, "otpCode must not be empty");
		return new LongTokenRequest(CLIENT_CREDENTIALS, clientId, null, otpCode, null, null, scopes, ttlSeconds);
	}

	/**
	 * A request authenticated by a JWT assertion signed with the client's private key.
	 * @param clientId the client id
	 * @param signedJwt the compact, signed JWT
	 * @param scopes the scopes, or {@code null} for the client's default
	 * @param ttlSeconds the requested lifetime in seconds, or {@code null}
	 * @return the request
	 */
	public static LongTokenRequest withAssertion(String clientId, String signedJwt, @Nullable List<String> scopes,
			@Nullable Long ttlSeconds) {
		return new LongTokenRequest(ASSERTION, clientId, null, null, JWT_BEARER_ASSERTION_TYPE, signedJwt, scopes,
				ttlSeconds);
	}

	/**
	 * A rotation: the body names the client and what to issue; the authorization is a
	 * short-term token with {@code tokens:write}, sent in the {@code Authorization}
	 * header.
	 * @param clientId the client id
	 * @param scopes the scopes, or {@code null} for the client's default
	 * @param ttlSeconds the requested lifetime in seconds, or {@code null}
	 * @return the request
	 */
	public static LongTokenRequest forRotation(String clientId, @Nullable List<String> scopes,
			@Nullable Long ttlSeconds) {
		return new LongTokenRequest(CLIENT_CREDENTIALS, clientId, null, null, null, null, scopes, ttlSeconds);
	}

	/**
	 * Return the credential mechanism this request uses.
	 * @return the mechanism
	 */
	public Mechanism mechanism() {
		if (this.clientSecret != null) {
			return Mechanism.CLIENT_SECRET;
		}
		if (this.otpCode != null) {
			return Mechanism.OTP;
		}
		if (this.assertion != null) {
			return Mechanism.ASSERTION;
		}
		return Mechanism.SHORT_TERM_TOKEN;
	}

	private static int count(@Nullable String value) {
		return StringUtils.hasLength(value) ? 1 : 0;
	}

	@Override
	public String toString() {
		return "LongTokenRequest[grantType=" + this.grantType + ", clientId=" + this.clientId + ", mechanism="
				+ mechanism() + ", scopes=" + this.scopes + ", ttlSeconds=" + this.ttlSeconds + "]";
	}

	/**
	 * The credential mechanisms the contract defines for issuing a long-term token.
	 */
	public enum Mechanism {

		/** {@code client_credentials} with {@code client_secret}. */
		CLIENT_SECRET,

		/** {@code client_credentials} with a one-time {@code otp_code}. */
		OTP,

		/** {@code assertion} with a JWT signed by the client's private key. */
		ASSERTION,

		/** An existing short-term token with {@code tokens:write} (rotation). */
		SHORT_TERM_TOKEN

	}

}
