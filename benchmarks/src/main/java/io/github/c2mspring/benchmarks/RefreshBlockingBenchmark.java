package io.github.c2mspring.benchmarks;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.sun.net.httpserver.HttpServer;
import io.github.c2mspring.auth.token.TokenPolicy;
import io.github.c2mspring.benchmarks.Benchmarks.Ours;
import io.github.c2mspring.benchmarks.Benchmarks.Side;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;

import org.springframework.web.client.RestClient;

import static io.github.c2mspring.benchmarks.Benchmarks.ALLOWED_SCOPES;
import static io.github.c2mspring.benchmarks.Benchmarks.CLIENT_ID;
import static io.github.c2mspring.benchmarks.Benchmarks.SECRET;
import static io.github.c2mspring.benchmarks.Benchmarks.authorize;
import static io.github.c2mspring.benchmarks.Benchmarks.loopbackTarget;
import static io.github.c2mspring.benchmarks.Benchmarks.ours;
import static io.github.c2mspring.benchmarks.Benchmarks.register;
import static io.github.c2mspring.benchmarks.Benchmarks.spring;
import static io.github.c2mspring.benchmarks.Benchmarks.withInterceptor;
import static io.github.c2mspring.benchmarks.Measurements.blocked;
import static io.github.c2mspring.benchmarks.Measurements.loop;
import static io.github.c2mspring.benchmarks.Measurements.p99;

/**
 * The {@code refresh-blocking} scenario.
 */
final class RefreshBlockingBenchmark {

	private RefreshBlockingBenchmark() {
	}

	/**
	 * 16 callers per side in a loop for 12 s (real time, both sides at once), each call
	 * an authorized request to a loopback endpoint through Spring Security's
	 * {@code OAuth2ClientHttpRequestInterceptor}, across several refreshes of a 4 s
	 * token, with a token endpoint that takes 500 ms. A blocked call took at least 400
	 * ms.
	 */
	static void run() throws Exception {
		try (C2MEmulator emulator = C2MEmulator.builder().shortTermTtl(Duration.ofSeconds(4)).start();
				OAuth2TokenEndpoint oauth2 = OAuth2TokenEndpoint.start(Clock.systemUTC(), Duration.ofSeconds(4),
						CLIENT_ID, SECRET, ALLOWED_SCOPES)) {
			register(emulator);
			Ours ours = ours(emulator, Clock.systemUTC(),
					TokenPolicy.defaults().withSafetyMargin(Duration.ofSeconds(1)));
			Side spring = spring(oauth2, Clock.systemUTC(), Duration.ofSeconds(1));
			authorize(ours.side());
			authorize(spring);
			int oursBefore;
			int springBefore;
			HttpServer target = loopbackTarget();
			String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/jobs";
			HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
			List<Long> oursLatencies;
			List<Long> springLatencies;
			try {
				RestClient oursClient = withInterceptor(http, ours.side());
				RestClient springClient = withInterceptor(http, spring);
				// both sides run at the same time, 16 callers each, so that they share
				// the machine's
				// noise; a 2 s warm-up (excluded) first, with the slow token endpoint
				// already in place
				emulator.faults().always(Endpoint.SHORT_TERM_TOKEN, Fault.delay(Duration.ofMillis(500)));
				oauth2.delay(Duration.ofMillis(500));
				ExecutorService sides = Executors.newFixedThreadPool(2);
				Future<List<Long>> oursWarm = sides.submit(() -> loop(16, Duration.ofSeconds(2), oursClient, url));
				Future<List<Long>> springWarm = sides.submit(() -> loop(16, Duration.ofSeconds(2), springClient, url));
				oursWarm.get();
				springWarm.get();
				oursBefore = emulator.requestCount(Endpoint.SHORT_TERM_TOKEN);
				springBefore = oauth2.requestCount();
				Future<List<Long>> oursRun = sides.submit(() -> loop(16, Duration.ofSeconds(12), oursClient, url));
				Future<List<Long>> springRun = sides.submit(() -> loop(16, Duration.ofSeconds(12), springClient, url));
				oursLatencies = oursRun.get();
				springLatencies = springRun.get();
				sides.shutdown();
			}
			finally {
				target.stop(0);
			}
			System.out.printf(
					"RESULT scenario=refresh-blocking callers=16 seconds=12 token_ttl_s=4 endpoint_ms=500 ours_calls=%d spring_calls=%d "
							+ "ours_blocked_calls=%d spring_blocked_calls=%d ours_p99_ms=%.1f spring_p99_ms=%.1f "
							+ "ours_exchanges=%d spring_token_requests=%d%n",
					oursLatencies.size(), springLatencies.size(), blocked(oursLatencies), blocked(springLatencies),
					p99(oursLatencies), p99(springLatencies),
					emulator.requestCount(Endpoint.SHORT_TERM_TOKEN) - oursBefore,
					oauth2.requestCount() - springBefore);
		}
	}

}
