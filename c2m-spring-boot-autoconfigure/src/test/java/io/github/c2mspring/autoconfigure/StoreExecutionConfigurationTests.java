package io.github.c2mspring.autoconfigure;

import java.time.Duration;

import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.testsupport.ForwardingLongTermTokenStore;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store scheduler and the timeouts as the auto-configuration sets them: the scheduler
 * is the context's, disposed with it, and no candidate for the application's own
 * injection points; {@code c2m.auth.store.timeout} must be shorter than the lease for a
 * store that blocks; the blocking timeout defaults to twice the lease plus twice the call
 * timeout.
 */
class StoreExecutionConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class))
		.withPropertyValues("c2m.client-id=client-1", "c2m.auth.client-secret=secret-1");

	@Test
	void theStoreSchedulerIsTheManagersAndIsDisposedWithTheContext() {
		Scheduler[] scheduler = new Scheduler[1];
		Scheduler applications = Schedulers.immediate();
		this.runner.withBean("applicationsScheduler", Scheduler.class, () -> applications)
			.withBean(NeedsAScheduler.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				scheduler[0] = context.getBean(C2MAutoConfiguration.STORE_SCHEDULER_BEAN_NAME, Scheduler.class);
				C2MTokenManager manager = context.getBean(C2MTokenManager.class);
				assertThat(manager.getExecution().getStoreScheduler()).isSameAs(scheduler[0]);
				assertThat(manager.getExecution().getStoreTimeout()).isEqualTo(Duration.ofSeconds(10));
				assertThat(manager.getExecution().getBlockingTimeout()).isEqualTo(Duration.ofMinutes(3));
				// no candidate for the application's own injection points
				assertThat(context.getBean(NeedsAScheduler.class).scheduler).isSameAs(applications);
				assertThat(scheduler[0].isDisposed()).isFalse();
			});
		assertThat(scheduler[0].isDisposed()).isTrue();
	}

	@Test
	void theBlockingTimeoutFollowsTheLeaseAndTheCallTimeoutOrIsSetOutright() {
		this.runner.withPropertyValues("c2m.auth.store.lease=2m", "c2m.http.call-timeout=10s")
			.run((context) -> assertThat(context.getBean(C2MTokenManager.class).getExecution().getBlockingTimeout())
				.isEqualTo(Duration.ofSeconds(260)));
		this.runner.withPropertyValues("c2m.auth.blocking-timeout=45s")
			.run((context) -> assertThat(context.getBean(C2MTokenManager.class).getExecution().getBlockingTimeout())
				.isEqualTo(Duration.ofSeconds(45)));
	}

	@Test
	void aStoreTimeoutNotShorterThanTheLeaseIsRefusedForABlockingStore() {
		this.runner.withBean(LongTermTokenStore.class, BlockingStore::new)
			.withPropertyValues("c2m.auth.store.lease=1m", "c2m.auth.store.timeout=1m", "c2m.http.call-timeout=10s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(C2MConfigurationException.class)
					.hasMessageContaining("c2m.auth.store.timeout")
					.hasMessageContaining("c2m.auth.store.lease");
			});
		// the in-memory store never waits: its timeout does not matter
		this.runner.withPropertyValues("c2m.auth.store.lease=5s", "c2m.auth.store.timeout=10s")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void nonPositiveTimeoutsAreRefused() {
		this.runner.withPropertyValues("c2m.auth.store.timeout=0s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo("c2m.auth.store.timeout")));
		this.runner.withPropertyValues("c2m.auth.blocking-timeout=-1s")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
						(ex) -> assertThat(ex.getName()).isEqualTo("c2m.auth.blocking-timeout")));
	}

	static final class NeedsAScheduler {

		final Scheduler scheduler;

		NeedsAScheduler(Scheduler scheduler) {
			this.scheduler = scheduler;
		}

	}

	static final class BlockingStore extends ForwardingLongTermTokenStore {

		BlockingStore() {
			super(new InMemoryLongTermTokenStore());
		}

	}

}
