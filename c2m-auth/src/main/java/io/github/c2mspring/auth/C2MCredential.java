package io.github.c2mspring.auth;

import java.security.PrivateKey;
import java.time.Duration;

import io.github.c2mspring.auth.assertion.AssertionAlgorithm;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Where the starter's long-term token comes from: one of the contract's step-up
 * credentials (a long-term token is issued from it at first need), or a long-term token
 * provisioned beforehand. Exactly one is configured. No {@code toString()} prints the
 * secret.
 */
public sealed interface C2MCredential {

	/**
	 * Whether a long-term token can be issued (again) from this credential. A
	 * pre-provisioned token cannot; a one-time code can only once.
	 * @return whether this is a credential that issues tokens
	 */
	default boolean canIssue() {
		return !(this instanceof PreProvisionedToken);
	}

	/**
	 * A short description that names the kind of credential and nothing secret.
	 * @return the description, such as {@code client-secret}
	 */
	String kind();

	/**
	 * {@code client_credentials} with a client secret.
	 *
	 * @param secret the client secret
	 */
	record ClientSecret(String secret) implements C2MCredential {

		public ClientSecret {
			Assert.hasText(secret, "secret must not be empty");
		}

		@Override
		public String kind() {
			return "client-secret";
		}

		@Override
		public String toString() {
			return "ClientSecret[<masked>]";
		}

	}

	/**
	 * {@code client_credentials} with a one-time code; the server accepts it once.
	 *
	 * @param code the one-time code
	 */
	record OneTimePassword(String code) implements C2MCredential {

		public OneTimePassword {
			Assert.hasText(code, "code must not be empty");
		}

		@Override
		public String kind() {
			return "otp";
		}

		@Override
		public String toString() {
			return "OneTimePassword[<masked>]";
		}

	}

	/**
	 * A JWT assertion signed by the client's private key ({@code grant_type=assertion}).
	 *
	 * @param privateKey the RSA or EC (P-256) private key
	 * @param keyId the key id to put in the JWT header ({@code kid}), or {@code null}
	 * @param algorithm the signing algorithm, which must fit the key
	 * @param audience the {@code aud} claim
	 * @param lifetime how long each assertion is valid ({@code exp - iat})
	 */
	record PrivateKeyJwt(PrivateKey privateKey, @Nullable String keyId, AssertionAlgorithm algorithm, String audience,
			Duration lifetime) implements C2MCredential {

		public PrivateKeyJwt {
			Assert.notNull(privateKey, "privateKey must not be null");
			Assert.notNull(algorithm, "algorithm must not be null");
			Assert.hasText(audience, "audience must not be empty");
			Assert.notNull(lifetime, "lifetime must not be null");
			Assert.isTrue(!lifetime.isNegative() && !lifetime.isZero(), "lifetime must be positive");
			algorithm.checkKey(privateKey);
		}

		@Override
		public String kind() {
			return "assertion";
		}

		@Override
		public String toString() {
			return "PrivateKeyJwt[keyId=" + this.keyId + ", algorithm=" + this.algorithm + ", audience=" + this.audience
					+ ", lifetime=" + this.lifetime + ", privateKey=<masked>]";
		}

	}

	/**
	 * A long-term token issued beforehand (for example with an OTP, out of band).
	 *
	 * @param token the long-term token value
	 */
	record PreProvisionedToken(String token) implements C2MCredential {

		public PreProvisionedToken {
			Assert.hasText(token, "token must not be empty");
		}

		@Override
		public String kind() {
			return "long-term-token";
		}

		@Override
		public String toString() {
			return "PreProvisionedToken[<masked>]";
		}

	}

}
