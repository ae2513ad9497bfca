package io.github.c2mspring.sample;

import io.github.c2mspring.test.testcontainers.C2MEmulatorContainer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * The C2M emulator in a container, as a service connection: used by the container test
 * and by {@link TestSampleApplication} to run the sample at development time.
 */
@TestConfiguration(proxyBeanMethods = false)
public class C2MEmulatorContainerConfiguration {

	@Bean
	@ServiceConnection
	C2MEmulatorContainer c2mEmulatorContainer() {
		return new C2MEmulatorContainer();
	}

}
