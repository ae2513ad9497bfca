package io.github.c2mspring.test.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.C2MEmulatorBuilder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A JUnit 5 extension that runs a C2M emulator on loopback for a test class, with a
 * client registered, and points an application at it.
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * class LettersTests {
 *
 *     &#64;RegisterExtension
 *     static C2MEmulatorExtension c2m = new C2MEmulatorExtension();
 *
 *     &#64;DynamicPropertySource
 *     static void c2m(DynamicPropertyRegistry registry) {
 *         c2m.registerProperties(registry);
 *     }
 *
 *     &#64;Test
 *     void submits(C2MEmulator emulator) { ... }
 * }
 * </pre>
 *
 * Test methods may declare a {@link C2MEmulator} parameter. Faults are cleared before
 * each test; tokens and counters are kept unless {@link #resetBeforeEach()} is set,
 * because the application context (and its tokens) usually lives across the tests of a
 * class.
 */
public class C2MEmulatorExtension
		implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

	private final String clientId;

	private final String clientSecret = "emulator-" + UUID.randomUUID();

	private final C2MEmulatorBuilder builder;

	private boolean resetBeforeEach;

	private volatile @Nullable C2MEmulator emulator;

	/**
	 * An extension whose emulator registers the client {@code demo-client}.
	 */
	public C2MEmulatorExtension() {
		this("demo-client", C2MEmulator.builder());
	}

	/**
	 * An extension with a client id and emulator settings of the test's choosing.
	 * @param clientId the client id to register
	 * @param builder the emulator's settings (token lifetimes, clock, ...)
	 */
	public C2MEmulatorExtension(String clientId, C2MEmulatorBuilder builder) {
		this.clientId = clientId;
		this.builder = builder;
	}

	/**
	 * Reset the emulator's tokens, counters and faults before each test.
	 * @return this extension
	 */
	public C2MEmulatorExtension resetBeforeEach() {
		this.resetBeforeEach = true;
		return this;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		C2MEmulator running = emulator();
		if (this.resetBeforeEach) {
			running.reset();
		}
		else {
			running.faults().clear();
			running.setLatency(java.time.Duration.ZERO);
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		C2MEmulator running = this.emulator;
		if (running != null) {
			running.close();
			this.emulator = null;
		}
	}

	private synchronized C2MEmulator start() {
		if (this.emulator == null) {
			C2MEmulator started = this.builder.start();
			started.clients().register(this.clientId).secret(this.clientSecret);
			this.emulator = started;
		}
		return this.emulator;
	}

	/**
	 * The running emulator (started on first use).
	 * @return the emulator
	 */
	public C2MEmulator emulator() {
		return start();
	}

	/**
	 * The properties that point the starter at the emulator.
	 * @return {@code c2m.base-url}, {@code c2m.client-id} and
	 * {@code c2m.auth.client-secret}
	 */
	public Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("c2m.base-url", emulator().baseUrl());
		properties.put("c2m.client-id", this.clientId);
		properties.put("c2m.auth.client-secret", this.clientSecret);
		properties.put("c2m.auth.otp-code", "");
		properties.put("c2m.auth.long-term-token", "");
		return properties;
	}

	/**
	 * Register {@link #properties()} with a test's {@code @DynamicPropertySource}.
	 * @param registry the registry
	 */
	public void registerProperties(DynamicPropertyRegistry registry) {
		properties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == C2MEmulator.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return emulator();
	}

	@Override
	public String toString() {
		C2MEmulator running = this.emulator;
		return "C2MEmulatorExtension[clientId=" + this.clientId + ", "
				+ ((running != null) ? running.baseUrl() : "not started") + "]";
	}

}
