package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.IssuedToken;
import io.github.c2mspring.emulator.TokenKind;
import io.github.c2mspring.emulator.ManualClock;
import io.github.c2mspring.testsupport.BlockHoundInstalled;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The lifecycle guarantees of the token manager, each against the emulator with a clock
 * the test moves and latches that hold the token endpoint: no sleeps.
 */
@BlockHoundInstalled
class TokenLifecycleTests {

	private static final String CLIENT_ID = "client-1";

	private static final int HERD = 1000;

	private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));

	private final List<C2MEmulator> emulators = new ArrayList<>();

	private final List<C2MTokenEvent> events = new CopyOnWriteArrayList<>();

	private C2MEmulator emulator;

	@AfterEach
	void stop() {
		this.emulators.forEach(C2MEmulator::close);
	}

	private C2MEmulator emulator(Clock serverClock) {
		C2MEmulator started = C2MEmulator.builder().clock(serverClock).start();
		started.clients()
			.register(CLIENT_ID)
			.secret("secret-1")
			.allowedScopes("jobs:submit", "tokens:write", "tokens:revoke");
		this.emulators.add(started);
		this.emulator = started;
		return started;
	}

	private C2MTokenManager manager(C2MEmulator server, Duration longTermTtl) {
		return manager(server, longTermTtl, (builder) -> {
		});
	}

	private C2MTokenManager manager(Consumer<C2MTokenManagerBuilder> customizer) {
		return manager(emulator(this.clock), Duration.ofDays(30), customizer);
	}

	private C2MTokenManager manager(C2MEmulator server, Duration longTermTtl,
			Consumer<C2MTokenManagerBuilder> customizer) {
		C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl(server.baseUrl()).build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(30));
		CredentialLongTermTokenSource source = new CredentialLongTermTokenSource(client, CLIENT_ID,
				new C2MCredential.ClientSecret("secret-1"), List.of(), longTermTtl, this.clock);
		return C2MTokenManager.builder(client, source)
			.defaultScopes(List.of("jobs:submit"))
			.clock(this.clock)
			.random(() -> 0.5)
			.rotation(CLIENT_ID, List.of(), longTermTtl)
			.eventListener(this.events::add)
			.apply(customizer)
			.build();
	}

	private C2MTokenManager manager() {
		return manager(emulator(this.clock), Duration.ofDays(30));
	}

	// 1. One request per need
	// -----------------------------------------------------------------

	@Test
	void thousandColdCallersCauseOneIssuanceAndOneExchange() throws Exception {
		C2MTokenManager manager = manager();
		CountDownLatch release = new CountDownLatch(1);
		this.emulator.faults().once(Endpoint.LONG_TERM_TOKEN, Fault.block(release));
		List<Object> results = herd(manager, HERD, () -> manager.diagnostics().statistics().cacheMisses() >= HERD,
				release);
		assertThat(results).hasSize(HERD).allSatisfy((result) -> assertThat(result).isSameAs(results.get(0)));
		assertThat(results.get(0)).isInstanceOf(ShortTermToken.class);
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
	}

	@Test
	void thousandCallersAtExpiryCauseOneExchange() throws Exception {
		C2MTokenManager manager = manager();
		manager.getShortTermToken().block();
		this.clock.advance(Duration.ofMinutes(15));
		CountDownLatch release = new CountDownLatch(1);
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.block(release));
		List<Object> results = herd(manager, HERD, () -> manager.diagnostics().statistics().cacheMisses() >= HERD + 1,
				release);
		assertThat(results).allSatisfy((result) -> assertThat(result).isSameAs(results.get(0)));
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
	}

	@Test
	void thousandCallersShareOneError() throws Exception {
		C2MTokenManager manager = manager();
		manager.getLongTermToken().block();
		CountDownLatch release = new CountDownLatch(1);
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.blockThen(release, Fault.status(503)));
		List<Object> results = herd(manager, HERD, () -> manager.diagnostics().statistics().cacheMisses() >= HERD,
				release);
		Map<Object, Boolean> distinct = new IdentityHashMap<>();
		results.forEach((result) -> distinct.put(result, true));
		assertThat(distinct).hasSize(1);
		assertThat(results.get(0)).isInstanceOfSatisfying(C2MAuthException.class,
				(ex) -> assertThat(ex.getStatus()).isEqualTo(503));
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
	}

	// 2. No caller waits after warm-up
	// -------------------------------------------------------

	@Test
	void callersAreServedWhileTheRefreshIsHeldInTheBackground() throws Exception {
		C2MTokenManager manager = manager();
		ShortTermToken first = manager.getShortTermToken().block();
		this.clock.advance(Duration.ofMinutes(7).plusSeconds(29));
		manager.getShortTermToken().block();
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(1));
		CountDownLatch release = new CountDownLatch(1);
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.block(release));
		for (int i = 0; i < 100; i++) {
			assertThat(manager.getShortTermToken().block(Duration.ofSeconds(2))).isSameAs(first);
			this.clock.advance(Duration.ofSeconds(1));
		}
		assertThat(this.emulator.awaitRequestCount(Endpoint.SHORT_TERM_TOKEN, 2, Duration.ofSeconds(10))).isTrue();
		assertThat(manager.diagnostics().isIdle()).isFalse();
		release.countDown();
		awaitTrue(() -> manager.diagnostics().currentShortTermToken(Set.of()).orElseThrow() != first);
		assertThat(manager.getShortTermToken().block()).isNotSameAs(first);
		assertThat(manager.diagnostics().statistics().cacheMisses()).isEqualTo(1);
		assertThat(manager.diagnostics().statistics().backgroundRefreshes()).isEqualTo(1);
	}

	@Test
	void refreshPointsAreSpreadByJitter() {
		C2MTokenManager low = manager((builder) -> builder.random(() -> 0.0));
		low.getShortTermToken().block();
		this.clock.advance(Duration.ofMinutes(6).plusSeconds(45));
		low.getShortTermToken().block();
		awaitTrue(low.diagnostics()::isIdle);
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
		C2MTokenManager high = manager((builder) -> builder.random(() -> 0.999));
		high.getShortTermToken().block();
		this.clock.advance(Duration.ofMinutes(8));
		high.getShortTermToken().block();
		awaitTrue(high.diagnostics()::isIdle);
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
	}

	// 3 and 4. Outages are absorbed; retry load stays bounded
	// ---------------------------------

	@Test
	void outageShorterThanTheRemainingLifeCausesNoCallerFailure() {
		C2MTokenManager manager = manager();
		manager.getShortTermToken().block();
		Instant start = this.clock.instant();
		this.emulator.faults().always(Endpoint.SHORT_TERM_TOKEN, Fault.status(503));
		while (this.clock.instant().isBefore(start.plus(Duration.ofMinutes(13).plusSeconds(59)))) {
			for (int i = 0; i < 5; i++) {
				ShortTermToken token = manager.getShortTermToken().block();
				assertThat(Duration.between(this.clock.instant(), token.expiresAt()))
					.isGreaterThan(Duration.ofSeconds(60));
			}
			awaitTrue(manager.diagnostics()::isIdle);
			this.clock.advance(Duration.ofSeconds(1));
		}
		// every caller was served (block() above would have thrown); the retries from the
		// refresh
		// point (7.5 min) to the margin (14 min), with jitter at half the cap: 0.5, 1, 2,
		// 4, 8, 16,
		// then every 30 s: about 18 attempts, not one per caller
		assertThat(manager.diagnostics().statistics().exchangeFailures()).isBetween(12L, 20L);
		assertThat(manager.diagnostics().statistics().cacheHits()).isGreaterThan(4000);
		this.clock.advance(Duration.ofSeconds(1));
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> manager.getShortTermToken().block());
		this.emulator.faults().clear();
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(manager.getShortTermToken().block().expiresAt()).isAfter(this.clock.instant().plusSeconds(800));
	}

	@Test
	void retryLoadDoesNotGrowWithCallerTraffic() {
		long quiet = outageRequests(1);
		long busy = outageRequests(50);
		assertThat(busy).isEqualTo(quiet);
		// backoff 1, 2, 4, 8, 16, 32, 60, 60, ... s in 390 s of outage after the refresh
		// point
		assertThat(quiet).isBetween(8L, 14L);
	}

	private long outageRequests(int callersPerSecond) {
		C2MTokenManager manager = manager((builder) -> builder.random(() -> 0.999));
		Instant start = this.clock.instant();
		manager.getShortTermToken().block();
		this.emulator.faults().always(Endpoint.SHORT_TERM_TOKEN, Fault.status(503));
		while (this.clock.instant().isBefore(start.plus(Duration.ofMinutes(13)))) {
			for (int i = 0; i < callersPerSecond; i++) {
				manager.getShortTermToken().block();
			}
			awaitTrue(manager.diagnostics()::isIdle);
			this.clock.advance(Duration.ofSeconds(1));
		}
		return this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN) - 1;
	}

	@Test
	void retryAfterIsHonoured() {
		C2MTokenManager manager = manager();
		manager.getShortTermToken().block();
		this.clock.advance(Duration.ofMinutes(7).plusSeconds(30));
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.rateLimited("30"));
		manager.getShortTermToken().block();
		// the failure is counted as the exchange fails, a moment before the refresher
		// reads the clock for its retry delay: wait for the refresher, not the counter
		awaitTrue(() -> manager.diagnostics().statistics().exchangeFailures() == 1 && manager.diagnostics().isIdle());
		for (int i = 0; i < 29; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			manager.getShortTermToken().block();
			awaitTrue(manager.diagnostics()::isIdle);
		}
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
		this.clock.advance(Duration.ofSeconds(1));
		manager.getShortTermToken().block();
		awaitTrue(manager.diagnostics()::isIdle);
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(3);
	}

	// 5. Expiry is clock-safe
	// ---------------------------------------------------------------

	@Test
	void serverClockHoursOffChangesNothing() {
		for (Duration offset : List.of(Duration.ofHours(5), Duration.ofHours(-5))) {
			C2MTokenManager manager = manager(emulator(Clock.offset(this.clock, offset)), Duration.ofDays(90));
			Instant requestedAt = this.clock.instant();
			ShortTermToken token = manager.getShortTermToken().block();
			assertThat(token.expiresAt()).isEqualTo(requestedAt.plus(Duration.ofMinutes(15)));
			LongTermToken longTerm = manager.diagnostics().currentLongTermToken().orElseThrow();
			assertThat(longTerm.expiresAt()).isEqualTo(requestedAt.plus(Duration.ofDays(90)));
			this.clock.advance(Duration.ofMinutes(5));
			assertThat(manager.getShortTermToken().block()).isSameAs(token);
			assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
		}
	}

	@Test
	void absurdLifetimeIsRefusedInsteadOfOverflowing() {
		C2MTokenManager manager = manager();
		manager.getLongTermToken().block();
		this.emulator.faults()
			.once(Endpoint.SHORT_TERM_TOKEN, Fault.raw(201, "application/json",
					"{\"token_type\":\"Bearer\",\"access_token\":\"eyJ.x.y\",\"expires_in\":9223372036854775807,"
							+ "\"expires_at\":\"1970-01-01T00:00:00Z\",\"scopes\":[\"jobs:submit\"],\"token_id\":\"tok_st_x\"}",
					Map.of()));
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> manager.getShortTermToken().block())
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("beyond the 400 days"));
		this.clock.advance(Duration.ofSeconds(1));
		ShortTermToken ninetyDays = manager.getShortTermToken().block();
		assertThat(ninetyDays.expiresAt()).isAfter(this.clock.instant());
	}

	// 6. Hard errors fail fast and heal
	// -------------------------------------------------------

	@Test
	void revokedLongTermTokenIsReissuedOnceForAHerd() throws Exception {
		C2MTokenManager manager = manager();
		LongTermToken first = manager.getLongTermToken().block();
		this.emulator.revoke(first.tokenId());
		List<Object> results = herd(manager, 100, () -> true, new CountDownLatch(0));
		assertThat(results).allSatisfy((result) -> assertThat(result).isInstanceOf(ShortTermToken.class));
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(2);
		assertThat(manager.diagnostics().currentLongTermToken().orElseThrow().tokenId()).isNotEqualTo(first.tokenId());
	}

	// 8. The long-term token rotates itself
	// --------------------------------------------------

	@Test
	void longTermTokenRotatesOnceRevokesThePreviousAndAnnouncesIt() throws Exception {
		C2MTokenManager manager = manager(emulator(this.clock), Duration.ofHours(2),
				(builder) -> builder.eventListener((event) -> {
					throw new IllegalStateException("a listener that throws");
				}));
		LongTermToken first = manager.getLongTermToken().block();
		this.clock.advance(Duration.ofMinutes(61));
		CountDownLatch release = new CountDownLatch(1);
		this.emulator.faults().once(Endpoint.LONG_TERM_TOKEN, Fault.block(release));
		for (int i = 0; i < 50; i++) {
			assertThat(manager.getLongTermToken().block(Duration.ofSeconds(5))).isSameAs(first);
		}
		assertThat(this.emulator.awaitRequestCount(Endpoint.LONG_TERM_TOKEN, 2, Duration.ofSeconds(10))).isTrue();
		Instant rotatedAt = this.clock.instant();
		release.countDown();
		awaitTrue(() -> manager.diagnostics().statistics().rotations() == 1 && manager.diagnostics().isIdle());
		LongTermToken second = manager.getLongTermToken().block();
		assertThat(second.tokenId()).isNotEqualTo(first.tokenId());
		// the previous token stays valid for the grace period (5 minutes by default),
		// checks or not
		this.clock.advance(Duration.ofMinutes(4));
		manager.checkLongTermToken().block();
		assertThat(this.emulator.isRevoked(first.tokenId())).isFalse();
		this.clock.advance(Duration.ofMinutes(1));
		manager.getLongTermToken().block();
		awaitTrue(() -> manager.diagnostics().isIdle() && this.emulator.requestCount(Endpoint.REVOKE) == 1);
		assertThat(this.emulator.isRevoked(first.tokenId())).isTrue();
		assertThat(this.emulator.requests()).filteredOn((request) -> request.endpoint() == Endpoint.REVOKE)
			.singleElement()
			.satisfies((request) -> assertThat(request.receivedAt()).isEqualTo(rotatedAt.plus(Duration.ofMinutes(5))));
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(2);
		assertThat(this.emulator.issuedTokens()).filteredOn((token) -> token.kind() == TokenKind.LONG_TERM)
			.extracting(IssuedToken::mechanism)
			.containsExactly("client_secret", "rotation");
		this.clock.advance(Duration.ofMinutes(15));
		ShortTermToken afterRotation = manager.getShortTermToken().block();
		assertThat(this.emulator.issuedTokens()).filteredOn((token) -> token.id().equals(afterRotation.tokenId()))
			.singleElement()
			.satisfies((token) -> assertThat(token.parentId()).isEqualTo(second.tokenId()));
		awaitTrue(() -> this.events.size() >= 3);
		assertThat(this.events).extracting(C2MTokenEvent::getType)
			.containsSubsequence(C2MTokenEvent.Type.LONG_TERM_ISSUED, C2MTokenEvent.Type.LONG_TERM_ROTATED,
					C2MTokenEvent.Type.TOKEN_REVOKED);
		assertThat(manager.diagnostics().statistics().rotations()).isEqualTo(1);
	}

	@Test
	void failedRotationKeepsTheCurrentTokenAndRetriesLater() {
		C2MTokenManager manager = manager(emulator(this.clock), Duration.ofHours(2));
		LongTermToken first = manager.getLongTermToken().block();
		this.clock.advance(Duration.ofMinutes(61));
		this.emulator.faults().once(Endpoint.LONG_TERM_TOKEN, Fault.status(503));
		assertThat(manager.getLongTermToken().block()).isSameAs(first);
		awaitTrue(() -> manager.diagnostics().statistics().rotationFailures() == 1 && manager.diagnostics().isIdle());
		assertThat(manager.getLongTermToken().block()).isSameAs(first);
		awaitTrue(() -> this.events.stream().anyMatch((event) -> event.getType() == C2MTokenEvent.Type.FAILURE));
		this.clock.advance(Duration.ofSeconds(1));
		manager.getLongTermToken().block();
		awaitTrue(() -> manager.diagnostics().statistics().rotations() == 1 && manager.diagnostics().isIdle());
		assertThat(manager.getLongTermToken().block().tokenId()).isNotEqualTo(first.tokenId());
	}

	// ---------------------------------------------------------------------------------------

	private static List<Object> herd(C2MTokenManager manager, int callers, BooleanSupplier allWaiting,
			CountDownLatch release) throws Exception {
		CyclicBarrier barrier = new CyclicBarrier(callers);
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			List<Future<Object>> futures = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				futures.add(pool.submit(() -> {
					barrier.await();
					try {
						return manager.getShortTermToken().block(Duration.ofSeconds(60));
					}
					catch (C2MAuthException ex) {
						return ex;
					}
				}));
			}
			awaitTrue(allWaiting);
			release.countDown();
			List<Object> results = new ArrayList<>();
			for (Future<Object> future : futures) {
				results.add(future.get(60, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** Waits for a condition another thread makes true (bounded; no fixed sleep). */
	private static void awaitTrue(BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

}
