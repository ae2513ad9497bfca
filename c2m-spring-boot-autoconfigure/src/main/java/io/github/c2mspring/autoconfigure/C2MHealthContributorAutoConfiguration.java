package io.github.c2mspring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.c2mspring.actuate.C2MHealthIndicator;
import io.github.c2mspring.auth.token.C2MTokenManager;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The {@code c2m} health indicator, where Spring Boot's health support is present
 * ({@code management.health.c2m.enabled} turns it off): a composite of one indicator per
 * account when {@code c2m.clients} names some.
 */
@AutoConfiguration(after = C2MAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(C2MTokenManager.class)
public final class C2MHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnEnabledHealthIndicator("c2m")
	@ConditionalOnMissingBean(name = "c2mHealthIndicator")
	@Conditional(OnNamedC2MClientsCondition.Absent.class)
	C2MHealthIndicator c2mHealthIndicator(C2MTokenManager tokenManager, C2MProperties properties) {
		return new C2MHealthIndicator(tokenManager, properties.getHttp().getCallTimeout());
	}

	/**
	 * With accounts under {@code c2m.clients}, {@code c2m} is a composite: one
	 * {@link C2MHealthIndicator} per account, {@code default} for the one {@code c2m.*}
	 * configures.
	 * @return the composite
	 */
	@Bean("c2mHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("c2m")
	@ConditionalOnMissingBean(name = "c2mHealthIndicator")
	@Conditional(OnNamedC2MClientsCondition.class)
	CompositeHealthContributor c2mHealthContributors(C2MClients clients, C2MProperties properties) {
		Map<String, HealthContributor> indicators = new LinkedHashMap<>();
		for (String name : clients.getNames()) {
			C2MProperties settings = C2MClients.DEFAULT.equals(name) ? properties : clients.properties(name);
			indicators.put(name,
					new C2MHealthIndicator(clients.getTokenManager(name), settings.getHttp().getCallTimeout()));
		}
		return CompositeHealthContributor.fromMap(indicators);
	}

}
