package io.github.c2mspring.test.emulator;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.autoconfigure.C2MConnectionDetails;

import org.springframework.util.Assert;

/**
 * {@link C2MConnectionDetails} of a C2M emulator: its base URL and a client registered on
 * it.
 */
public final class EmulatorC2MConnectionDetails implements C2MConnectionDetails {

	private final String baseUrl;

	private final String clientId;

	private final C2MCredential credential;

	/**
	 * Create connection details.
	 * @param baseUrl the emulator's base URL
	 * @param clientId the registered client id
	 * @param credential the client's credential
	 */
	public EmulatorC2MConnectionDetails(String baseUrl, String clientId, C2MCredential credential) {
		Assert.hasText(baseUrl, "baseUrl must not be empty");
		Assert.hasText(clientId, "clientId must not be empty");
		Assert.notNull(credential, "credential must not be null");
		this.baseUrl = baseUrl;
		this.clientId = clientId;
		this.credential = credential;
	}

	@Override
	public String getBaseUrl() {
		return this.baseUrl;
	}

	@Override
	public String getClientId() {
		return this.clientId;
	}

	@Override
	public C2MCredential getCredential() {
		return this.credential;
	}

	@Override
	public String toString() {
		return "EmulatorC2MConnectionDetails[baseUrl=" + this.baseUrl + ", clientId=" + this.clientId + ", credential="
				+ this.credential.kind() + "]";
	}

}
