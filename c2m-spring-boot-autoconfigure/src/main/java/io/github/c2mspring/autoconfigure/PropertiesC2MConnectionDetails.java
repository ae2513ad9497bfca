package io.github.c2mspring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.assertion.AssertionAlgorithm;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.core.io.Resource;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * {@link C2MConnectionDetails} read from the {@code c2m.*} properties. Checks that
 * exactly one credential is configured and that an assertion key is readable and fits its
 * algorithm, failing with a {@link C2MConfigurationException} that names the property, or
 * with Boot's {@link MutuallyExclusiveConfigurationPropertiesException} when more than
 * one credential is set.
 */
public class PropertiesC2MConnectionDetails implements C2MConnectionDetails {

	private static final String CREDENTIALS = "c2m.auth.client-secret, c2m.auth.otp-code, "
			+ "c2m.auth.assertion.private-key or c2m.auth.long-term-token";

	private static final List<String> CREDENTIAL_PROPERTIES = List.of("c2m.auth.client-secret", "c2m.auth.otp-code",
			"c2m.auth.assertion.private-key", "c2m.auth.long-term-token");

	private final C2MProperties properties;

	private volatile @Nullable C2MCredential credential;

	/**
	 * Create connection details from properties.
	 * @param properties the properties
	 */
	public PropertiesC2MConnectionDetails(C2MProperties properties) {
		this.properties = properties;
	}

	@Override
	public String getBaseUrl() {
		return this.properties.getBaseUrl();
	}

	@Override
	public String getClientId() {
		String clientId = this.properties.getClientId();
		if (!StringUtils.hasText(clientId)) {
			throw new C2MConfigurationException("c2m.client-id", "no client id is configured",
					"Set c2m.client-id to the client identifier Click2Mail issued to you.");
		}
		return clientId.trim();
	}

	@Override
	public C2MCredential getCredential() {
		C2MCredential result = this.credential;
		if (result == null) {
			result = readCredential();
			this.credential = result;
		}
		return result;
	}

	private C2MCredential readCredential() {
		C2MProperties.Auth auth = this.properties.getAuth();
		String clientSecret = auth.getClientSecret();
		String otpCode = auth.getOtpCode();
		Resource privateKey = auth.getAssertion().getPrivateKey();
		String longTermToken = auth.getLongTermToken();
		List<String> configured = new ArrayList<>();
		if (StringUtils.hasText(clientSecret)) {
			configured.add("c2m.auth.client-secret");
		}
		if (StringUtils.hasText(otpCode)) {
			configured.add("c2m.auth.otp-code");
		}
		if (privateKey != null) {
			configured.add("c2m.auth.assertion.private-key");
		}
		if (StringUtils.hasText(longTermToken)) {
			configured.add("c2m.auth.long-term-token");
		}
		if (configured.isEmpty()) {
			throw new C2MConfigurationException("c2m.auth", "no credential is configured",
					"Set exactly one of " + CREDENTIALS + ".");
		}
		if (configured.size() > 1) {
			// Boot's analysis names each one and where it was set, never its value
			throw new MutuallyExclusiveConfigurationPropertiesException(configured, CREDENTIAL_PROPERTIES);
		}
		// exactly one is configured
		if (StringUtils.hasText(clientSecret)) {
			return new C2MCredential.ClientSecret(clientSecret);
		}
		if (StringUtils.hasText(otpCode)) {
			return new C2MCredential.OneTimePassword(otpCode.trim());
		}
		if (StringUtils.hasText(longTermToken)) {
			return new C2MCredential.PreProvisionedToken(longTermToken.trim());
		}
		Assert.state(privateKey != null, "a credential is configured");
		return privateKeyJwt(auth.getAssertion(), privateKey);
	}

	private C2MCredential privateKeyJwt(C2MProperties.Assertion assertion, Resource privateKey) {
		PrivateKey key = readPrivateKey(privateKey);
		AssertionAlgorithm algorithm = assertion.getAlgorithm();
		try {
			if (algorithm == null) {
				algorithm = AssertionAlgorithm.forKey(key);
			}
			algorithm.checkKey(key);
		}
		catch (IllegalArgumentException ex) {
			throw new C2MConfigurationException("c2m.auth.assertion.algorithm",
					Objects.requireNonNullElse(ex.getMessage(), "the key does not fit the algorithm"),
					"Use an RSA key of 2048 bits or more with RS256, or an EC P-256 key with ES256; "
							+ "leave c2m.auth.assertion.algorithm unset to pick the one that fits the key.");
		}
		if (assertion.getLifetime() == null || assertion.getLifetime().isNegative()
				|| assertion.getLifetime().isZero()) {
			throw C2MSettings.invalid("c2m.auth.assertion.lifetime", assertion.getLifetime(),
					"the assertion lifetime must be positive, not " + assertion.getLifetime(),
					"Set c2m.auth.assertion.lifetime to a short positive duration such as 5m.");
		}
		String audience = StringUtils.hasText(assertion.getAudience()) ? assertion.getAudience() : getBaseUrl();
		return new C2MCredential.PrivateKeyJwt(key, assertion.getKeyId(), algorithm, audience, assertion.getLifetime());
	}

	private static PrivateKey readPrivateKey(Resource resource) {
		String action = "Point c2m.auth.assertion.private-key at a readable PEM file holding an unencrypted PKCS#8 "
				+ "private key (\"-----BEGIN PRIVATE KEY-----\"), for example file:/etc/c2m/client-key.pem or "
				+ "classpath:c2m/client-key.pem.";
		if (!resource.exists() || !resource.isReadable()) {
			throw new C2MConfigurationException("c2m.auth.assertion.private-key",
					"the private key " + resource.getDescription() + " does not exist or cannot be read", action);
		}
		PrivateKey key;
		try (InputStream in = resource.getInputStream()) {
			key = PemContent.load(in).getPrivateKey();
		}
		catch (IOException | RuntimeException ex) {
			throw new C2MConfigurationException("c2m.auth.assertion.private-key",
					"the private key " + resource.getDescription() + " is not a readable PEM private key ("
							+ ex.getClass().getSimpleName() + ")",
					action);
		}
		if (key == null) {
			throw new C2MConfigurationException("c2m.auth.assertion.private-key",
					"the file " + resource.getDescription() + " contains no PEM private key", action);
		}
		return key;
	}

}
