package io.github.c2mspring.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.token.C2MTokenEvent;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.C2MTokenManagerBuilder;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configured {@link C2MTokenManagerBuilder}: an application's own manager built
 * from it keeps the store, rotation and events the starter wires, and every
 * {@link C2MTokenManagerCustomizer} applies.
 */
class TokenManagerBuilderConfigurationTests {

	private final ManualClock clock = ManualClock.startingNow();

	private C2MEmulator emulator;

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().clock(this.clock).start();
		this.emulator.clients()
			.register("client-1")
			.secret("secret-1")
			.allowedScopes("jobs:submit", "templates:read", "tokens:write", "tokens:revoke");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class))
			.withBean(C2MAutoConfiguration.CLOCK_BEAN_NAME, Clock.class, () -> this.clock)
			.withUserConfiguration(CustomizerConfiguration.class)
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
					"c2m.auth.client-secret=secret-1", "c2m.auth.long-term.ttl=2h",
					"c2m.auth.short-term.scopes=jobs:submit");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void ownManagerBuiltFromTheBuilderKeepsStoreRotationEventsAndCustomizers() {
		this.runner.withUserConfiguration(OwnManagerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(C2MTokenManager.class).hasBean("ownTokenManager");
			C2MTokenManager manager = context.getBean(C2MTokenManager.class);
			// the application's own change, on top of c2m.auth.short-term.scopes
			assertThat(manager.getDefaultScopes()).containsExactly("templates:read");
			// the clock, from the c2mClock bean
			assertThat(manager.getClock()).isSameAs(this.clock);
			LongTermToken first = manager.getLongTermToken().block(Duration.ofSeconds(30));
			// the store: the row of the client id is written in the starter's store
			LongTermTokenStore store = context.getBean(LongTermTokenStore.class);
			assertThat(manager.getLongTermTokenStore()).isSameAs(store);
			assertThat(store.load("client-1"))
				.hasValueSatisfying((stored) -> assertThat(stored.token().tokenId()).isEqualTo(first.tokenId()));
			// rotation: due at half of the 2h life
			this.clock.advance(Duration.ofMinutes(61));
			manager.checkLongTermToken().block(Duration.ofSeconds(30));
			LongTermToken rotated = manager.diagnostics().currentLongTermToken().orElseThrow();
			assertThat(rotated.tokenId()).isNotEqualTo(first.tokenId());
			assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(2);
			// events: to the application's listeners (on the starter's event thread) and
			// to the customizer's listener
			ApplicationListener listener = context.getBean(ApplicationListener.class);
			assertThat(listener.rotated.await(20, TimeUnit.SECONDS)).isTrue();
			assertThat(listener.types).startsWith(C2MTokenEvent.Type.LONG_TERM_ISSUED);
			assertThat(context.getBean(CustomizerConfiguration.class).types)
				.containsExactly(C2MTokenEvent.Type.LONG_TERM_ISSUED, C2MTokenEvent.Type.LONG_TERM_ROTATED);
		});
	}

	@Test
	void customizersApplyToTheStartersManager() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(C2MTokenManager.class).hasBean("c2mTokenManager");
			C2MTokenManager manager = context.getBean(C2MTokenManager.class);
			assertThat(manager.getDefaultScopes()).isEqualTo(Set.of("jobs:submit"));
			manager.getShortTermToken().block(Duration.ofSeconds(30));
			assertThat(context.getBean(CustomizerConfiguration.class).types)
				.containsExactly(C2MTokenEvent.Type.LONG_TERM_ISSUED);
		});
	}

	@Test
	void eachInjectionGetsItsOwnBuilder() {
		this.runner.run((context) -> assertThat(context.getBean(C2MTokenManagerBuilder.class))
			.isNotSameAs(context.getBean(C2MTokenManagerBuilder.class)));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		final List<C2MTokenEvent.Type> types = new CopyOnWriteArrayList<>();

		@Bean
		C2MTokenManagerCustomizer recordingCustomizer() {
			return (builder) -> builder.eventListener((event) -> this.types.add(event.getType()));
		}

		@Bean
		ApplicationListener applicationListener() {
			return new ApplicationListener();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnManagerConfiguration {

		@Bean
		C2MTokenManager ownTokenManager(C2MTokenManagerBuilder builder) {
			return builder.defaultScopes(List.of("templates:read")).build();
		}

	}

	static class ApplicationListener {

		final List<C2MTokenEvent.Type> types = new CopyOnWriteArrayList<>();

		final CountDownLatch rotated = new CountDownLatch(1);

		@EventListener
		void on(C2MTokenEvent event) {
			this.types.add(event.getType());
			if (event.getType() == C2MTokenEvent.Type.LONG_TERM_ROTATED) {
				this.rotated.countDown();
			}
		}

	}

}
