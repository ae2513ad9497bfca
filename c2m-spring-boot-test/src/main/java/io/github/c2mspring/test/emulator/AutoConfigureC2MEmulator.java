package io.github.c2mspring.test.emulator;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Runs a Spring Boot test against an embedded C2M emulator instead of Click2Mail: the
 * emulator starts on loopback with the test's application context, the starter's
 * connection details point at it, and the test can inject the
 * {@link io.github.c2mspring.emulator.C2MEmulator} to set token lifetimes, inject faults
 * and read what it received and issued.
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureC2MEmulator
 * class LettersTests {
 *
 *     &#64;Autowired C2MEmulator emulator;
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration(C2MEmulatorAutoConfiguration.class)
@PropertyMapping("c2m.emulator")
public @interface AutoConfigureC2MEmulator {

	/**
	 * Whether the emulator replaces Click2Mail.
	 * @return whether it is enabled
	 */
	boolean enabled() default true;

	/**
	 * The client id the emulator registers and the application uses.
	 * @return the client id
	 */
	String clientId() default "demo-client";

	/**
	 * The lifetime of the short-term tokens the emulator issues, as a duration string
	 * ({@code 15m}, {@code 3s}).
	 * @return the lifetime
	 */
	String shortTermTtl() default "15m";

}
