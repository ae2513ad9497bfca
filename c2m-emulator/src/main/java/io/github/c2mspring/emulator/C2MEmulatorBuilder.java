package io.github.c2mspring.emulator;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link C2MEmulator}, from {@link C2MEmulator#builder()}; {@link #start()}
 * starts one.
 */
public final class C2MEmulatorBuilder {

	private int port;

	private InetAddress bindAddress = InetAddress.getLoopbackAddress();

	private Clock clock = Clock.systemUTC();

	private Duration shortTermTtl = Duration.ofMinutes(15);

	private Duration maxLongTermTtl = Duration.ofDays(90);

	private @Nullable String audience;

	private @Nullable SSLContext sslContext;

	C2MEmulatorBuilder() {
	}

	/**
	 * Serve HTTPS with the given context (its key manager holds the server certificate);
	 * {@link C2MEmulator#baseUrl()} then names {@code https://localhost}.
	 * @param sslContext the server's TLS context
	 * @return this
	 */
	public C2MEmulatorBuilder https(SSLContext sslContext) {
		this.sslContext = Objects.requireNonNull(sslContext);
		return this;
	}

	/**
	 * The port, 0 (the default) for a free one.
	 * @param port the port
	 * @return this
	 */
	public C2MEmulatorBuilder port(int port) {
		this.port = port;
		return this;
	}

	/**
	 * The address to listen on (default: loopback).
	 * @param bindAddress the address
	 * @return this
	 */
	public C2MEmulatorBuilder bindAddress(InetAddress bindAddress) {
		this.bindAddress = Objects.requireNonNull(bindAddress);
		return this;
	}

	/**
	 * The clock of issuance and expiry (default: the system clock).
	 * @param clock the clock
	 * @return this
	 */
	public C2MEmulatorBuilder clock(Clock clock) {
		this.clock = Objects.requireNonNull(clock);
		return this;
	}

	/**
	 * The lifetime of short-term tokens (default 15 minutes).
	 * @param ttl the lifetime
	 * @return this
	 */
	public C2MEmulatorBuilder shortTermTtl(Duration ttl) {
		this.shortTermTtl = Objects.requireNonNull(ttl);
		return this;
	}

	/**
	 * The longest lifetime of long-term tokens (default 90 days).
	 * @param ttl the lifetime
	 * @return this
	 */
	public C2MEmulatorBuilder maxLongTermTtl(Duration ttl) {
		this.maxLongTermTtl = Objects.requireNonNull(ttl);
		return this;
	}

	/**
	 * The {@code aud} that assertions must carry (default: the base URL).
	 * @param audience the audience
	 * @return this
	 */
	public C2MEmulatorBuilder audience(String audience) {
		this.audience = audience;
		return this;
	}

	/**
	 * Start the emulator.
	 * @return the running emulator
	 */
	public C2MEmulator start() {
		return new C2MEmulator(this);
	}

	int portSetting() {
		return this.port;
	}

	InetAddress bindAddressSetting() {
		return this.bindAddress;
	}

	Clock clockSetting() {
		return this.clock;
	}

	Duration shortTermTtlSetting() {
		return this.shortTermTtl;
	}

	Duration maxLongTermTtlSetting() {
		return this.maxLongTermTtl;
	}

	@Nullable String audienceSetting() {
		return this.audience;
	}

	@Nullable SSLContext sslContextSetting() {
		return this.sslContext;
	}

}
