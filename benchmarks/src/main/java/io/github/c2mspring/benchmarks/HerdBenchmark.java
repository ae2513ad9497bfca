package io.github.c2mspring.benchmarks;

import java.time.Duration;

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
import static io.github.c2mspring.benchmarks.Benchmarks.emulator;
import static io.github.c2mspring.benchmarks.Benchmarks.ours;
import static io.github.c2mspring.benchmarks.Benchmarks.spring;
import static io.github.c2mspring.benchmarks.Measurements.countRequests;
import static io.github.c2mspring.benchmarks.Measurements.release;

/**
 * The {@code herd} scenario.
 */
final class HerdBenchmark {

	private HerdBenchmark() {
	}

	/**
	 * 1000 callers released together by a barrier: cold, then at the moment the token
	 * expires.
	 */
	static void run() throws Exception {
		// virtual clocks start at the real time: Spring Security stamps its tokens with
		// Instant.now()
		ManualClock clock = ManualClock.startingNow();
		try (C2MEmulator emulator = emulator(clock);
				OAuth2TokenEndpoint oauth2 = OAuth2TokenEndpoint.start(clock, SHORT_TERM_TTL, CLIENT_ID, SECRET,
						ALLOWED_SCOPES)) {
			emulator.faults().always(Endpoint.SHORT_TERM_TOKEN, Fault.delay(Duration.ofMillis(100)));
			oauth2.delay(Duration.ofMillis(100));
			Ours ours = ours(emulator, clock, TokenPolicy.defaults());
			ours.tokens().getLongTermToken().block();
			Side spring = spring(oauth2, clock, Duration.ofSeconds(60));
			int callers = 1000;
			int oursCold = countRequests(() -> emulator.requestCount(Endpoint.SHORT_TERM_TOKEN),
					() -> release(callers, ours.side()));
			int springCold = countRequests(oauth2::requestCount, () -> release(callers, spring));
			System.out.printf(
					"RESULT scenario=herd phase=cold callers=%d ours_token_requests=%d spring_token_requests=%d%n",
					callers, oursCold, springCold);
			clock.advance(Duration.ofMinutes(15));
			int oursExpiry = countRequests(() -> emulator.requestCount(Endpoint.SHORT_TERM_TOKEN),
					() -> release(callers, ours.side()));
			int springExpiry = countRequests(oauth2::requestCount, () -> release(callers, spring));
			System.out.printf(
					"RESULT scenario=herd phase=expiry callers=%d ours_token_requests=%d spring_token_requests=%d%n",
					callers, oursExpiry, springExpiry);
		}
	}

}
