package io.github.c2mspring.emulator;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * Verifies client assertions: signed (RS256 or ES256) by the client's registered key,
 * {@code iss} and {@code sub} the client id, {@code aud} the emulator's audience, not
 * expired (60 s of leeway), with an {@code iat}, and a {@code jti} used only once.
 */
final class AssertionVerifier {

	private final Clock clock;

	private final String audience;

	private final Set<String> usedJtis = ConcurrentHashMap.newKeySet();

	AssertionVerifier(Clock clock, String audience) {
		this.clock = clock;
		this.audience = audience;
	}

	/**
	 * Verify an assertion.
	 * @param client the registered client, or {@code null}
	 * @param clientId the client id of the request
	 * @param assertion the assertion
	 * @return what is wrong with it, or {@code null} when it is valid
	 */
	@Nullable String problem(Clients.@Nullable Client client, String clientId, String assertion) {
		PublicKey publicKey = (client != null) ? client.publicKeyValue() : null;
		if (publicKey == null) {
			return "The client has no registered public key";
		}
		try {
			SignedJWT jwt = SignedJWT.parse(assertion);
			JWSVerifier verifier = verifier(jwt.getHeader(), publicKey);
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

	/**
	 * Forget the used {@code jti}s.
	 */
	void clear() {
		this.usedJtis.clear();
	}

	private static @Nullable JWSVerifier verifier(JWSHeader header, PublicKey key) throws JOSEException {
		if (JWSAlgorithm.RS256.equals(header.getAlgorithm()) && key instanceof RSAPublicKey rsa) {
			return new RSASSAVerifier(rsa);
		}
		if (JWSAlgorithm.ES256.equals(header.getAlgorithm()) && key instanceof ECPublicKey ec) {
			return new ECDSAVerifier(ec);
		}
		return null;
	}

}
