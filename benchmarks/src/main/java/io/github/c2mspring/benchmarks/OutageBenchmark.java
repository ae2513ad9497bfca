package io.github.c2mspring.benchmarks;

import java.time.Duration;
import java.time.Instant;

import io.github.c2mspring.auth.token.TokenPolicy;
import io.github.c2mspring.benchmarks.Benchmarks.Ours;
import io.github.c2mspring.benchmarks.Benchmarks.Side;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.ManualClock;

import static io.github.c2mspring.benchmarks.Benchmarks.ALLOWED_SCOPES;
import static io.github.c2mspring.benchmarks.Benchmarks.CLIENT_ID;
import static io.github.c2mspring.benchmarks.Benchmarks.SECRET;
import static io.github.c2mspring.benchmarks.Benchmarks.SHORT_TERM_TTL;
import static io.github.c2mspring.benchmarks.Benchmarks.authorize;
import static io.github.c2mspring.benchmarks.Benchmarks.emulator;
import static io.github.c2mspring.benchmarks.Benchmarks.ours;
import static io.github.c2mspring.benchmarks.Benchmarks.settle;
import static io.github.c2mspring.benchmarks.Benchmarks.spring;
import static io.github.c2mspring.benchmarks.Benchmarks.tryAuthorize;

/**
 * The {@code outage} scenario.
 */
final class OutageBenchmark {

	private OutageBenchmark() {
	}

	/**
	 * A token endpoint that fails (503) from minute 10 to minute 14:30 of a 15-minute
	 * token's life, a stretch shorter than the token's remaining life when it starts; 4
	 * callers a second, on a virtual clock.
	 */
	static void run() throws Exception {
		ManualClock clock = ManualClock.startingNow();
		try (C2MEmulator emulator = emulator(clock);
				OAuth2TokenEndpoint oauth2 = OAuth2TokenEndpoint.start(clock, SHORT_TERM_TTL, CLIENT_ID, SECRET,
						ALLOWED_SCOPES)) {
			Ours ours = ours(emulator, clock, TokenPolicy.defaults());
			Side spring = spring(oauth2, clock, Duration.ofSeconds(60));
			authorize(ours.side());
			authorize(spring);
			Instant start = clock.instant();
			int oursBefore = emulator.requestCount(Endpoint.SHORT_TERM_TOKEN);
			int springBefore = oauth2.requestCount();
			long oursFailed = 0;
			long springFailed = 0;
			boolean outage = false;
			while (clock.instant().isBefore(start.plus(Duration.ofMinutes(20)))) {
				Duration elapsed = Duration.between(start, clock.instant());
				boolean shouldFail = elapsed.compareTo(Duration.ofMinutes(10)) >= 0
						&& elapsed.compareTo(Duration.ofMinutes(14).plusSeconds(30)) < 0;
				if (shouldFail != outage) {
					outage = shouldFail;
					if (outage) {
						emulator.faults().always(Endpoint.SHORT_TERM_TOKEN, Fault.status(503));
						oauth2.fail(503);
					}
					else {
						emulator.faults().clear();
						oauth2.clear();
					}
				}
				for (int i = 0; i < 4; i++) {
					oursFailed += tryAuthorize(ours.side()) ? 0 : 1;
					springFailed += tryAuthorize(spring) ? 0 : 1;
				}
				settle(ours.tokens());
				clock.advance(Duration.ofSeconds(1));
			}
			System.out.printf(
					"RESULT scenario=outage token_ttl_min=15 outage=10:00-14:30 callers_per_s=4 ours_failed_calls=%d spring_failed_calls=%d "
							+ "ours_token_requests=%d spring_token_requests=%d%n",
					oursFailed, springFailed, emulator.requestCount(Endpoint.SHORT_TERM_TOKEN) - oursBefore,
					oauth2.requestCount() - springBefore);
		}
	}

}
