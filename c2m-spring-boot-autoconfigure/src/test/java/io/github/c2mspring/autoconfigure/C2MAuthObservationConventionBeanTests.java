package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.client.C2MAuthObservationContext;
import io.github.c2mspring.auth.client.C2MAuthObservationConvention;
import io.github.c2mspring.auth.client.DefaultC2MAuthObservationConvention;
import io.github.c2mspring.emulator.C2MEmulator;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's {@link C2MAuthObservationConvention} bean names the auth client's
 * observations in place of the default.
 */
class C2MAuthObservationConventionBeanTests {

	private C2MEmulator emulator;

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					WebClientAutoConfiguration.class, C2MAutoConfiguration.class))
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
					"c2m.auth.client-secret=secret-1");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void defaultConventionWithoutABean() {
		this.runner.run((context) -> {
			context.getBean(C2MAuthOperations.class).getAccessToken();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get(C2MAuthClient.OBSERVATION_NAME)
				.tags("operation", "exchange-short-term-token", "outcome", "SUCCESS", "status", "201")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void conventionBeanReplacesTheDefault() {
		this.runner.withBean(C2MAuthObservationConvention.class, TeamConvention::new).run((context) -> {
			context.getBean(C2MAuthOperations.class).getAccessToken();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find(C2MAuthClient.OBSERVATION_NAME).meters()).isEmpty();
			assertThat(meters.get("team.c2m.calls")
				.tags("operation", "issue-long-term-token", "outcome", "SUCCESS", "status", "201", "team", "letters")
				.timer()
				.count()).isEqualTo(1);
			assertThat(meters.get("team.c2m.calls")
				.tags("operation", "exchange-short-term-token", "team", "letters")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	/**
	 * The default keys under another name, plus one of the application's own.
	 */
	static final class TeamConvention extends DefaultC2MAuthObservationConvention {

		TeamConvention() {
			super("team.c2m.calls");
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(C2MAuthObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and(KeyValue.of("team", "letters"));
		}

	}

}
