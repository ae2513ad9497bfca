package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.actuate.C2MHealthIndicator;
import io.github.c2mspring.auth.token.C2MTokenManager;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code c2m} health indicator, where Spring Boot's health support is present
 * ({@code management.health.c2m.enabled} turns it off).
 */
@AutoConfiguration(after = C2MAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(C2MTokenManager.class)
public final class C2MHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnEnabledHealthIndicator("c2m")
	@ConditionalOnMissingBean(name = "c2mHealthIndicator")
	C2MHealthIndicator c2mHealthIndicator(C2MTokenManager tokenManager, C2MProperties properties) {
		return new C2MHealthIndicator(tokenManager, properties.getHttp().getCallTimeout());
	}

}
