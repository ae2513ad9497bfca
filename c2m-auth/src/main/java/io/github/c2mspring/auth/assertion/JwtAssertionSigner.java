package io.github.c2mspring.auth.assertion;

import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Signs the client assertion that issues a long-term token: a JWT with {@code iss} and
 * {@code sub} set to the client id, the configured {@code aud}, {@code iat} now, a short
 * {@code exp}, and a unique {@code jti}, signed RS256 or ES256 with the client's private
 * key.
 */
public final class JwtAssertionSigner {

	private final @Nullable String keyId;

	private final AssertionAlgorithm algorithm;

	private final String audience;

	private final Duration lifetime;

	private final Clock clock;

	private final JWSSigner signer;

	/**
	 * Create a signer from the parts of a {@code C2MCredential.PrivateKeyJwt} credential
	 * (taken apart so that this package does not depend on the one of the credentials).
	 * @param privateKey the RSA or EC (P-256) private key
	 * @param keyId the key id to put in the JWT header ({@code kid}), or {@code null}
	 * @param algorithm the signing algorithm, which must fit the key
	 * @param audience the {@code aud} claim
	 * @param lifetime how long each assertion is valid ({@code exp - iat})
	 * @param clock the clock for {@code iat} and {@code exp}
	 */
	public JwtAssertionSigner(PrivateKey privateKey, @Nullable String keyId, AssertionAlgorithm algorithm,
			String audience, Duration lifetime, Clock clock) {
		Assert.notNull(privateKey, "privateKey must not be null");
		Assert.notNull(algorithm, "algorithm must not be null");
		Assert.hasText(audience, "audience must not be empty");
		Assert.notNull(lifetime, "lifetime must not be null");
		Assert.isTrue(!lifetime.isNegative() && !lifetime.isZero(), "lifetime must be positive");
		Assert.notNull(clock, "clock must not be null");
		algorithm.checkKey(privateKey);
		this.keyId = keyId;
		this.algorithm = algorithm;
		this.audience = audience;
		this.lifetime = lifetime;
		this.clock = clock;
		this.signer = createSigner(privateKey, algorithm);
	}

	private static JWSSigner createSigner(PrivateKey privateKey, AssertionAlgorithm algorithm) {
		try {
			return switch (algorithm) {
				case RS256 -> new RSASSASigner(privateKey);
				case ES256 -> new ECDSASigner((ECPrivateKey) privateKey);
			};
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("the private key cannot sign " + algorithm, ex);
		}
	}

	/**
	 * Sign a new assertion for the client.
	 * @param clientId the client id, used as {@code iss} and {@code sub}
	 * @return the compact serialized JWT
	 */
	public String sign(String clientId) {
		Assert.hasText(clientId, "clientId must not be empty");
		Instant now = this.clock.instant();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId)
			.subject(clientId)
			.audience(List.of(this.audience))
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(this.lifetime)))
			.jwtID(UUID.randomUUID().toString())
			.build();
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(this.algorithm.name())).type(JOSEObjectType.JWT)
			.keyID(this.keyId)
			.build();
		SignedJWT jwt = new SignedJWT(header, claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(
					"could not sign the client assertion with " + this.algorithm + " (key id " + this.keyId + ")", ex);
		}
		return jwt.serialize();
	}

}
