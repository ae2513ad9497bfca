package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.ManualClock;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ShortTermTokenCache}: the default scope set on a field, the others bounded.
 */
class ShortTermTokenCacheTests {

	private final List<Set<String>> created = new ArrayList<>();

	private final TokenRules rules = new TokenRules(new TokenClock(new MonotonicClock()), TokenPolicy.defaults(),
			() -> 0.5,
			new TokenEvents(this, C2MTokenManager.DEFAULT_NAME, List.of(), new TokenClock(new MonotonicClock())),
			new TokenStatistics());

	private ShortTermTokenCache cache(int capacity) {
		return new ShortTermTokenCache(Set.of("jobs:submit"), (scopes) -> {
			this.created.add(scopes);
			return new Refresher<>(C2MOperation.EXCHANGE_SHORT_TERM_TOKEN, Mono::empty, (token) -> null, this.rules);
		}, capacity);
	}

	@Test
	void defaultScopesAndNoScopesShareTheDefaultRefresher() {
		ShortTermTokenCache cache = cache(2);
		Refresher<ShortTermToken> byDefault = cache.refresher(cache.defaultScopes());
		assertThat(cache.refresher(Set.of())).isSameAs(byDefault);
		assertThat(cache.refresher(List.of(" jobs:submit"))).isSameAs(byDefault);
		assertThat(cache.find(List.of())).isSameAs(byDefault);
		assertThat(this.created).containsExactly(Set.of("jobs:submit"));
	}

	@Test
	void scopeSetsAreNormalizedIntoOneKey() {
		ShortTermTokenCache cache = cache(2);
		Refresher<ShortTermToken> first = cache.refresher(List.of("b", "a"));
		assertThat(cache.refresher(List.of("a", " b "))).isSameAs(first);
		assertThat(cache.refresher(Set.of("a", "b"))).isSameAs(first);
		assertThat(cache.find(List.of("b", "a"))).isSameAs(first);
	}

	@Test
	void pastTheBoundTheScopeSetAddedFirstIsDropped() {
		ShortTermTokenCache cache = cache(2);
		Refresher<ShortTermToken> a = cache.refresher(List.of("a"));
		Refresher<ShortTermToken> b = cache.refresher(List.of("b"));
		Refresher<ShortTermToken> c = cache.refresher(List.of("c"));
		assertThat(cache.find(List.of("a"))).isNull();
		assertThat(cache.find(List.of("b"))).isSameAs(b);
		assertThat(cache.find(List.of("c"))).isSameAs(c);
		// the default scope set is never dropped, and is not counted
		assertThat(cache.entries()).hasSize(3);
		assertThat(cache.find(List.of())).isNotNull();
		// coming back is a new refresher, which drops the next oldest
		assertThat(cache.refresher(List.of("a"))).isNotSameAs(a);
		assertThat(cache.find(List.of("b"))).isNull();
	}

	@Test
	void managerHoldsAtMostTheBoundAndExchangesAgainForADroppedScopeSet() {
		ManualClock clock = ManualClock.startingNow();
		try (C2MEmulator emulator = C2MEmulator.builder().clock(clock).start()) {
			emulator.clients().register("client-1").secret("secret-1").allowedScopes("a", "b", "c");
			C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl(emulator.baseUrl()).build(),
					ObservationRegistry.NOOP, Duration.ofSeconds(10));
			C2MTokenManager manager = ((DefaultC2MTokenManagerBuilder) C2MTokenManager
				.builder(client,
						new CredentialLongTermTokenSource(client, "client-1",
								new C2MCredential.ClientSecret("secret-1"), List.of(), Duration.ofDays(30), clock)))
				.maxScopeSets(2)
				.clock(clock)
				.build();
			for (String scope : List.of("a", "b", "a", "b", "c")) {
				manager.getShortTermTokenBlocking(List.of(scope));
			}
			assertThat(emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(3);
			assertThat(manager.diagnostics().currentShortTermTokens()).containsOnlyKeys(Set.of("b"), Set.of("c"));
			manager.getShortTermTokenBlocking(List.of("a"));
			assertThat(emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(4);
			assertThat(manager.diagnostics().currentShortTermTokens()).containsOnlyKeys(Set.of("c"), Set.of("a"));
		}
	}

}
