package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.ManualClock;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link C2MTokenManager#builder}: what each option does to the manager it builds, and
 * the {@link RefreshPolicy} seam.
 */
class C2MTokenManagerBuilderTests {

	private final ManualClock clock = ManualClock.startingNow();

	private C2MEmulator emulator;

	private C2MAuthClient client;

	private LongTermTokenSource source;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().clock(this.clock).shortTermTtl(Duration.ofMinutes(15)).start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
		this.client = new C2MAuthClient(WebClient.builder().baseUrl(this.emulator.baseUrl()).build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(10));
		this.source = new CredentialLongTermTokenSource(this.client, "client-1",
				new C2MCredential.ClientSecret("secret-1"), List.of(), Duration.ofDays(30), this.clock);
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	private C2MTokenManagerBuilder builder() {
		return C2MTokenManager.builder(this.client, this.source).clock(this.clock);
	}

	@Test
	void eventListenersAreAllCalledInTheOrderAdded() {
		List<String> calls = new CopyOnWriteArrayList<>();
		C2MTokenManager manager = builder().eventListener((event) -> calls.add("first " + event.getType()))
			.eventListener((event) -> {
				throw new IllegalStateException("a listener that throws");
			})
			.eventListener((event) -> calls.add("last " + event.getType()))
			.build();
		manager.getLongTermToken().block();
		assertThat(calls).containsExactly("first LONG_TERM_ISSUED", "last LONG_TERM_ISSUED");
	}

	@Test
	void eachBuildIsAnIndependentManagerWithItsOwnInMemoryStore() {
		C2MTokenManagerBuilder builder = builder().defaultScopes(List.of(" jobs:submit"));
		C2MTokenManager first = builder.build();
		C2MTokenManager second = builder.build();
		assertThat(first.getLongTermTokenStore()).isNotSameAs(second.getLongTermTokenStore())
			.isInstanceOf(InMemoryLongTermTokenStore.class);
		assertThat(first.getDefaultScopes()).isEqualTo(Set.of("jobs:submit"));
		first.getShortTermToken().block();
		assertThat(second.diagnostics().currentShortTermTokens()).isEmpty();
	}

	@Test
	void storeOptionsAreChecked() {
		assertThatIllegalArgumentException().isThrownBy(() -> builder()
			.longTermTokenStore(new InMemoryLongTermTokenStore(), "client-1", Duration.ofMinutes(1), Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> builder().rotation(" ", List.of(), null));
		assertThatIllegalArgumentException().isThrownBy(() -> builder().defaultScopes(List.of("")));
	}

	@Test
	void defaultRefreshPolicyIsTheFractionOfLifeWithItsJitter() {
		Instant issued = Instant.parse("2026-06-01T00:00:00Z");
		ShortTermToken token = new ShortTermToken("value", "id", Set.of(), issued, issued.plusSeconds(1000));
		assertThat(RefreshPolicy.fractionOfLife(0.5, 0.1, () -> 0.0).refreshAt(token))
			.isEqualTo(issued.plusSeconds(400));
		assertThat(RefreshPolicy.fractionOfLife(0.5, 0.1, () -> 0.5).refreshAt(token))
			.isEqualTo(issued.plusSeconds(500));
		assertThat(RefreshPolicy.fractionOfLife(0.5, 0.1, () -> 0.75).refreshAt(token))
			.isEqualTo(issued.plusSeconds(550));
		assertThatIllegalArgumentException().isThrownBy(() -> RefreshPolicy.fractionOfLife(0.5, 0.5, () -> 0.0));
	}

	@Test
	void aRefreshPolicyOfTheApplicationDecidesWhenTheBackgroundRefreshStarts() {
		List<ShortTermToken> asked = new CopyOnWriteArrayList<>();
		C2MTokenManager manager = builder().refreshPolicy((token) -> {
			asked.add(token);
			return token.expiresAt().minus(Duration.ofMinutes(3));
		}).build();
		ShortTermToken first = manager.getShortTermToken().block();
		assertThat(asked).containsExactly(first);
		// past the default refresh point (half-way), not yet at the application's
		this.clock.advance(Duration.ofMinutes(11));
		assertThat(manager.getShortTermToken().block()).isSameAs(first);
		assertThat(manager.diagnostics().isIdle()).isTrue();
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(manager.getShortTermToken().block()).isSameAs(first);
		awaitTrue(() -> asked.size() == 2 && manager.diagnostics().isIdle());
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
		assertThat(manager.diagnostics().statistics().backgroundRefreshes()).isEqualTo(1);
	}

	@Test
	void aRefreshPolicyThatSaysNeverLeavesTheTokenUntilItIsNoLongerUsable() {
		C2MTokenManager manager = builder().refreshPolicy((token) -> null).build();
		ShortTermToken first = manager.getShortTermToken().block();
		this.clock.advance(Duration.ofMinutes(13).plusSeconds(59));
		assertThat(manager.getShortTermToken().block()).isSameAs(first);
		assertThat(manager.diagnostics().isIdle()).isTrue();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(manager.getShortTermToken().block()).isNotSameAs(first);
		assertThat(manager.diagnostics().statistics().backgroundRefreshes()).isZero();
	}

	private static void awaitTrue(BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

}
