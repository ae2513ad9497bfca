package io.github.c2mspring.auth.assertion;

import java.time.Clock;
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

import io.github.c2mspring.auth.C2MCredential.PrivateKeyJwt;

import java.security.interfaces.ECPrivateKey;

import org.springframework.util.Assert;

/**
 * Signs the client assertion that issues a long-term token: a JWT with {@code iss} and
 * {@code sub} set to the client id, the configured {@code aud}, {@code iat} now, a short
 * {@code exp}, and a unique {@code jti}, signed RS256 or ES256 with the client's private key.
 */
public final class JwtAssertionSigner {

	private final PrivateKeyJwt credential;

	private final Clock clock;

	private final JWSSigner signer;

	/**
	 * Create a signer.
	 * @param credential the private key and assertion settings
	 * @param clock the clock for {@code iat} and {@code exp}
	 */
	public JwtAssertionSigner(PrivateKeyJwt credential, Clock clock) {
		Assert.notNull(credential, "credential must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.credential = credential;
		this.clock = clock;
		this.signer = createSigner(credential);
	}

	private static JWSSigner createSigner(PrivateKeyJwt credential) {
		try {
			return switch (credential.algorithm()) {
				case RS256 -> new RSASSASigner(credential.privateKey());
				case ES256 -> new ECDSASigner((ECPrivateKey) credential.privateKey());
			};
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("the private key cannot sign " + credential.algorithm(), ex);
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
			.audience(List.of(this.credential.audience()))
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(this.credential.lifetime())))
			.jwtID(UUID.randomUUID().toString())
			.build();
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(this.credential.algorithm().name()))
			.type(JOSEObjectType.JWT)
			.keyID(this.credential.keyId())
			.build();
		SignedJWT jwt = new SignedJWT(header, claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("could not sign the client assertion with " + this.credential.algorithm()
					+ " (key id " + this.credential.keyId() + ")", ex);
		}
		return jwt.serialize();
	}

}
