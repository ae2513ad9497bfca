package io.github.c2mspring.test.emulator;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.autoconfigure.C2MAutoConfiguration;
import io.github.c2mspring.autoconfigure.C2MConnectionDetails;
import io.github.c2mspring.emulator.C2MEmulator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Starts an embedded C2M emulator on loopback when {@code c2m.emulator.enabled=true} and
 * points the application's {@link C2MConnectionDetails} at it, so that the application
 * runs offline, without Click2Mail credentials. The emulator stops with the application
 * context.
 */
@AutoConfiguration(before = C2MAutoConfiguration.class)
@ConditionalOnClass(C2MEmulator.class)
@ConditionalOnBooleanProperty("c2m.emulator.enabled")
@EnableConfigurationProperties(C2MEmulatorProperties.class)
public final class C2MEmulatorAutoConfiguration {

	private static final Log logger = LogFactory.getLog(C2MEmulatorAutoConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	C2MEmulator c2mEmulator(C2MEmulatorProperties properties) {
		C2MEmulator emulator = C2MEmulator.builder()
			.port(properties.getPort())
			.shortTermTtl(properties.getShortTermTtl())
			.start();
		emulator.clients().register(properties.getClientId()).secret(properties.getClientSecret());
		logger.info("Started the embedded C2M emulator at " + emulator.baseUrl() + " (client id "
				+ properties.getClientId() + "); set c2m.emulator.enabled=false to use Click2Mail");
		return emulator;
	}

	@Bean
	@ConditionalOnMissingBean(C2MConnectionDetails.class)
	EmulatorC2MConnectionDetails c2mEmulatorConnectionDetails(C2MEmulator emulator, C2MEmulatorProperties properties) {
		return new EmulatorC2MConnectionDetails(emulator.baseUrl(), properties.getClientId(),
				new C2MCredential.ClientSecret(properties.getClientSecret()));
	}

}
