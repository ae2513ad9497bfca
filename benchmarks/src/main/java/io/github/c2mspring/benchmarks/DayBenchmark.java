package io.github.c2mspring.benchmarks;

import java.time.Duration;
import java.time.Instant;

import io.github.c2mspring.auth.token.TokenPolicy;
import io.github.c2mspring.benchmarks.Benchmarks.Ours;
import io.github.c2mspring.benchmarks.Benchmarks.Side;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.ManualClock;

import static io.github.c2mspring.benchmarks.Benchmarks.ALLOWED_SCOPES;
import static io.github.c2mspring.benchmarks.Benchmarks.CLIENT_ID;
import static io.github.c2mspring.benchmarks.Benchmarks.SECRET;
import static io.github.c2mspring.benchmarks.Benchmarks.SHORT_TERM_TTL;
import static io.github.c2mspring.benchmarks.Benchmarks.emulator;
import static io.github.c2mspring.benchmarks.Benchmarks.ours;
import static io.github.c2mspring.benchmarks.Benchmarks.settle;
import static io.github.c2mspring.benchmarks.Benchmarks.spring;
import static io.github.c2mspring.benchmarks.Benchmarks.tryAuthorize;

/**
 * The {@code day} scenario.
 */
final class DayBenchmark {

	private DayBenchmark() {
	}

	/**
	 * A simulated day on a virtual clock, one call every 10 s, 15-minute tokens refreshed
	 * half-way (jitter off: it only spreads a fleet).
	 */
	static void run() throws Exception {
		ManualClock clock = ManualClock.startingNow();
		try (C2MEmulator emulator = emulator(clock);
				OAuth2TokenEndpoint oauth2 = OAuth2TokenEndpoint.start(clock, SHORT_TERM_TTL, CLIENT_ID, SECRET,
						ALLOWED_SCOPES)) {
			TokenPolicy policy = TokenPolicy.defaults().withRefresh(0.5, 0.0);
			Ours ours = ours(emulator, clock, policy);
			Side spring = spring(oauth2, clock, Duration.ofSeconds(60));
			Instant end = clock.instant().plus(Duration.ofHours(24));
			long failed = 0;
			while (clock.instant().isBefore(end)) {
				failed += tryAuthorize(ours.side()) ? 0 : 1;
				failed += tryAuthorize(spring) ? 0 : 1;
				settle(ours.tokens());
				clock.advance(Duration.ofSeconds(10));
			}
			long minimum = (long) Math.ceil(Duration.ofHours(24).toSeconds() / (900 * policy.refreshAt()));
			System.out.printf(
					"RESULT scenario=day virtual_hours=24 ours_exchanges=%d minimum_exchanges=%d spring_token_requests=%d "
							+ "ours_blocked_calls=%d failed_calls=%d%n",
					emulator.requestCount(Endpoint.SHORT_TERM_TOKEN), minimum, oauth2.requestCount(),
					ours.tokens().diagnostics().statistics().cacheMisses(), failed);
		}
	}

}
