package io.github.c2mspring.auth.assertion;

import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;

/**
 * The JWS algorithms the starter signs assertions with.
 */
public enum AssertionAlgorithm {

	/** RSASSA-PKCS1-v1_5 with SHA-256; needs an RSA key of at least 2048 bits. */
	RS256,

	/** ECDSA on P-256 with SHA-256; needs an EC P-256 key. */
	ES256;

	/**
	 * Check that the key fits this algorithm.
	 * @param key the private key
	 * @throws IllegalArgumentException naming what is wrong with the key
	 */
	public void checkKey(PrivateKey key) {
		if (this == RS256) {
			if (!(key instanceof RSAPrivateKey rsa)) {
				throw new IllegalArgumentException(
						"RS256 needs an RSA private key, but the key is " + key.getAlgorithm());
			}
			if (rsa.getModulus().bitLength() < 2048) {
				throw new IllegalArgumentException("RS256 needs an RSA key of at least 2048 bits, but the key has "
						+ rsa.getModulus().bitLength());
			}
		}
		else {
			if (!(key instanceof ECPrivateKey ec)) {
				throw new IllegalArgumentException(
						"ES256 needs an EC (P-256) private key, but the key is " + key.getAlgorithm());
			}
			if (ec.getParams().getCurve().getField().getFieldSize() != 256) {
				throw new IllegalArgumentException("ES256 needs a P-256 key, but the key's curve has "
						+ ec.getParams().getCurve().getField().getFieldSize() + " bits");
			}
		}
	}

	/**
	 * The algorithm that fits a key: RS256 for RSA, ES256 for EC.
	 * @param key the private key
	 * @return the algorithm
	 * @throws IllegalArgumentException when no algorithm fits
	 */
	public static AssertionAlgorithm forKey(PrivateKey key) {
		if (key instanceof RSAPrivateKey) {
			return RS256;
		}
		if (key instanceof ECPrivateKey) {
			return ES256;
		}
		throw new IllegalArgumentException("no assertion algorithm fits a " + key.getAlgorithm()
				+ " key; use an RSA (RS256) or EC P-256 (ES256) key");
	}

}
