package io.github.c2mspring.test.emulator;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the embedded C2M emulator.
 */
@ConfigurationProperties("c2m.emulator")
public class C2MEmulatorProperties {

	/**
	 * Whether to start an embedded C2M emulator on loopback and point the application at
	 * it instead of Click2Mail.
	 */
	private boolean enabled;

	/**
	 * Port of the emulator. 0 for a free port.
	 */
	private int port;

	/**
	 * Client id the emulator registers and the application uses.
	 */
	private String clientId = "demo-client";

	/**
	 * Client secret the emulator registers and the application uses to issue its
	 * long-term token.
	 */
	private String clientSecret = "demo-secret";

	/**
	 * Lifetime of the short-term tokens the emulator issues.
	 */
	private Duration shortTermTtl = Duration.ofMinutes(15);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public String getClientId() {
		return this.clientId;
	}

	public void setClientId(String clientId) {
		this.clientId = clientId;
	}

	public String getClientSecret() {
		return this.clientSecret;
	}

	public void setClientSecret(String clientSecret) {
		this.clientSecret = clientSecret;
	}

	public Duration getShortTermTtl() {
		return this.shortTermTtl;
	}

	public void setShortTermTtl(Duration shortTermTtl) {
		this.shortTermTtl = shortTermTtl;
	}

	@Override
	public String toString() {
		return "C2MEmulatorProperties[enabled=" + this.enabled + ", port=" + this.port + ", clientId=" + this.clientId
				+ ", clientSecret=<masked>]";
	}

}
