package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.actuate.C2MTokenMetrics;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The token meters, where Micrometer is present. The per-call timer
 * {@code c2m.auth.requests} comes from the auth client's observation.
 */
@AutoConfiguration(after = C2MAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(C2MTokenManager.class)
public final class C2MMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	C2MTokenMetrics c2mTokenMetrics(C2MTokenManager tokenManager) {
		return new C2MTokenMetrics(tokenManager);
	}

	/**
	 * The same meters for every account of {@code c2m.clients}, each with its own
	 * {@code client} tag.
	 * @return the binder
	 */
	@Bean
	@Conditional(OnNamedC2MClientsCondition.class)
	MeterBinder c2mNamedClientsMetrics(C2MClients clients) {
		return (registry) -> {
			for (String name : clients.getNames()) {
				if (!C2MClients.DEFAULT.equals(name)) {
					new C2MTokenMetrics(clients.getTokenManager(name)).bindTo(registry);
				}
			}
		};
	}

}
