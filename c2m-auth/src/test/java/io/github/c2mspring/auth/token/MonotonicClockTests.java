package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.ManualClock;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MonotonicClock} on a wall clock and a nanosecond counter that the test moves
 * apart: a suspended machine (the counter stands still, the wall clock moves on) and a
 * wall clock set back or forward.
 */
class MonotonicClockTests {

	private final ManualClock wall = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final MonotonicClock clock = new MonotonicClock(this.wall, this.nanos::get);

	private void elapse(Duration duration) {
		this.wall.advance(duration);
		this.nanos.addAndGet(duration.toNanos());
	}

	private void suspend(Duration duration) {
		this.wall.advance(duration);
	}

	@Test
	void advancesWithTheCounter() {
		Instant start = this.clock.instant();
		assertThat(start).isEqualTo(this.wall.instant());
		elapse(Duration.ofMinutes(5));
		assertThat(this.clock.instant()).isEqualTo(start.plus(Duration.ofMinutes(5)));
	}

	@Test
	void theLongReadingIsTheInstantAlsoAcrossASuspendAndAWallClockSetBack() {
		elapse(Duration.ofMinutes(1));
		assertThat(this.clock.epochNanos()).isEqualTo(TokenClock.toNanos(this.clock.instant()));
		suspend(Duration.ofMinutes(30));
		long afterSuspend = this.clock.epochNanos();
		assertThat(afterSuspend).isEqualTo(TokenClock.toNanos(this.clock.instant()))
			.isEqualTo(TokenClock.toNanos(this.wall.instant()));
		this.wall.advance(Duration.ofHours(-2));
		assertThat(this.clock.epochNanos()).isEqualTo(afterSuspend);
		assertThat(this.clock.millis()).isEqualTo(this.clock.instant().toEpochMilli());
	}

	@Test
	void theRecentReadingIsTheLastTickAndATickShowsASuspend() {
		long start = this.clock.epochNanos();
		// no tick yet: a full reading
		this.nanos.addAndGet(1_000);
		assertThat(this.clock.recentEpochNanos()).isEqualTo(this.clock.epochNanos()).isEqualTo(start + 1_000);
		this.clock.tick();
		long ticked = this.clock.epochNanos();
		// until the next tick, the same reading, whatever the clocks do
		elapse(Duration.ofMillis(5));
		suspend(Duration.ofMinutes(30));
		assertThat(this.clock.recentEpochNanos()).isEqualTo(ticked);
		this.clock.tick();
		assertThat(this.clock.recentEpochNanos()).isEqualTo(this.clock.epochNanos())
			.isGreaterThanOrEqualTo(ticked + Duration.ofMinutes(30).toNanos());
		// a ticker that failed: full readings again
		this.clock.stopTicking();
		this.nanos.addAndGet(7);
		assertThat(this.clock.recentEpochNanos()).isEqualTo(this.clock.epochNanos());
	}

	@Test
	void theSystemClockTicksOnADaemonThreadThatEndsWithTheClock() throws InterruptedException {
		// other tests' clocks may tick in this JVM too: follow this clock's own thread
		java.util.List<Thread> before = tickers();
		MonotonicClock system = new MonotonicClock();
		long first = system.recentEpochNanos();
		java.util.List<Thread> mine = tickers().stream().filter((thread) -> !before.contains(thread)).toList();
		assertThat(mine).hasSize(1).allMatch(Thread::isDaemon);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (system.recentEpochNanos() == first && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(system.recentEpochNanos()).isGreaterThan(first);
		system = null;
		while (mine.get(0).isAlive() && System.nanoTime() < deadline) {
			System.gc();
			Thread.sleep(20);
		}
		assertThat(mine.get(0).isAlive()).isFalse();
	}

	private static java.util.List<Thread> tickers() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> "c2m-clock".equals(thread.getName()))
			.toList();
	}

	@Test
	void timeSpentSuspendedCounts() {
		Instant start = this.clock.instant();
		elapse(Duration.ofMinutes(1));
		suspend(Duration.ofMinutes(30));
		assertThat(this.clock.instant()).isEqualTo(start.plus(Duration.ofMinutes(31)));
		elapse(Duration.ofMinutes(1));
		assertThat(this.clock.instant()).isEqualTo(start.plus(Duration.ofMinutes(32)));
	}

	@Test
	void wallClockSetBackNeitherMovesItBackNorHidesALaterSuspend() {
		Instant start = this.clock.instant();
		elapse(Duration.ofMinutes(10));
		this.wall.advance(Duration.ofHours(-1));
		assertThat(this.clock.instant()).isEqualTo(start.plus(Duration.ofMinutes(10)));
		elapse(Duration.ofMinutes(1));
		assertThat(this.clock.instant()).isEqualTo(start.plus(Duration.ofMinutes(11)));
		// the wall clock is now an hour behind: a suspend still shows, from where it
		// stood
		suspend(Duration.ofMinutes(30));
		assertThat(this.clock.instant()).isEqualTo(start.plus(Duration.ofMinutes(41)));
	}

	@Test
	void neverGoesBack() {
		Instant previous = this.clock.instant();
		for (int i = 0; i < 50; i++) {
			if (i % 3 == 0) {
				this.wall.advance(Duration.ofMinutes((i % 2 == 0) ? 7 : -11));
			}
			this.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
			Instant now = this.clock.instant();
			assertThat(now).isAfterOrEqualTo(previous);
			previous = now;
		}
	}

	@Test
	void tokenOutlivedBySuspendIsNotHandedOut() {
		try (C2MEmulator emulator = C2MEmulator.builder()
			.clock(this.wall)
			.shortTermTtl(Duration.ofMinutes(15))
			.start()) {
			emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
			C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl(emulator.baseUrl()).build(),
					ObservationRegistry.NOOP, Duration.ofSeconds(10));
			C2MTokenManager manager = C2MTokenManager
				.builder(client,
						new CredentialLongTermTokenSource(client, "client-1",
								new C2MCredential.ClientSecret("secret-1"), List.of(), Duration.ofDays(30), this.clock))
				.clock(this.clock)
				.policy(TokenPolicy.defaults().withSafetyMargin(Duration.ofSeconds(60)))
				.build();
			ShortTermToken before = manager.getShortTermToken().block();
			elapse(Duration.ofMinutes(1));
			suspend(Duration.ofMinutes(30));
			ShortTermToken after = manager.getShortTermToken().block();
			assertThat(after.tokenId()).isNotEqualTo(before.tokenId());
			assertThat(manager.isExpired(before)).isTrue();
			assertThat(emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
		}
	}

	@Test
	void storeTimesComeFromTheWallClock() {
		C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl("http://127.0.0.1:1").build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(10));
		C2MTokenManager manager = C2MTokenManager
			.builder(client, new PreProvisionedLongTermTokenSource(new C2MCredential.PreProvisionedToken("lt-1")))
			.clock(this.clock)
			.policy(TokenPolicy.defaults().withSafetyMargin(Duration.ofSeconds(60)))
			.build();
		this.wall.advance(Duration.ofHours(-3));
		assertThat(manager.storeClock().instant()).isEqualTo(this.wall.instant());
	}

}
