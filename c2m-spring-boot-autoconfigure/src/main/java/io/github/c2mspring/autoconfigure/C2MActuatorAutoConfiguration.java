package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.actuate.C2MSanitizingFunction;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Keeps the starter's secrets out of the Actuator endpoints that show configuration.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class C2MActuatorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	C2MSanitizingFunction c2mSanitizingFunction() {
		return new C2MSanitizingFunction();
	}

}
