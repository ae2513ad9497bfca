package io.github.c2mspring.benchmarks;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import io.github.c2mspring.auth.token.TokenPolicy;
import io.github.c2mspring.benchmarks.Benchmarks.Ours;
import io.github.c2mspring.benchmarks.Benchmarks.Side;
import io.github.c2mspring.emulator.C2MEmulator;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static io.github.c2mspring.benchmarks.Benchmarks.ALLOWED_SCOPES;
import static io.github.c2mspring.benchmarks.Benchmarks.CLIENT_ID;
import static io.github.c2mspring.benchmarks.Benchmarks.SECRET;
import static io.github.c2mspring.benchmarks.Benchmarks.SHORT_TERM_TTL;
import static io.github.c2mspring.benchmarks.Benchmarks.authorize;
import static io.github.c2mspring.benchmarks.Benchmarks.emulator;
import static io.github.c2mspring.benchmarks.Benchmarks.loopbackTarget;
import static io.github.c2mspring.benchmarks.Benchmarks.ours;
import static io.github.c2mspring.benchmarks.Benchmarks.spring;
import static io.github.c2mspring.benchmarks.Benchmarks.withInterceptor;
import static io.github.c2mspring.benchmarks.Measurements.median;
import static io.github.c2mspring.benchmarks.Measurements.throughput;

/**
 * The {@code overhead} scenario.
 */
final class OverheadBenchmark {

	private OverheadBenchmark() {
	}

	/**
	 * Throughput of authorized calls to a loopback endpoint, divided by the throughput of
	 * the same calls with a fixed header: 2 s of warm-up per variant, then 5 interleaved
	 * rounds of 2 s per variant (the two sides taking turns to go first), median ratio.
	 */
	static void run() throws Exception {
		HttpServer target = loopbackTarget();
		String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/jobs";
		try (C2MEmulator emulator = emulator(Clock.systemUTC());
				OAuth2TokenEndpoint oauth2 = OAuth2TokenEndpoint.start(Clock.systemUTC(), SHORT_TERM_TTL, CLIENT_ID,
						SECRET, ALLOWED_SCOPES)) {
			Ours ours = ours(emulator, Clock.systemUTC(), TokenPolicy.defaults());
			Side spring = spring(oauth2, Clock.systemUTC(), Duration.ofSeconds(60));
			HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
			RestClient baseline = RestClient.builder()
				.requestFactory(new JdkClientHttpRequestFactory(http))
				.defaultHeader("Authorization", "Bearer " + authorize(ours.side()))
				.build();
			RestClient oursClient = withInterceptor(http, ours.side());
			RestClient springClient = withInterceptor(http, spring);
			Map<String, RestClient> variants = Map.of("baseline", baseline, "ours", oursClient, "spring", springClient);
			for (RestClient client : variants.values()) {
				throughput(client, url, Duration.ofSeconds(2));
			}
			List<Double> oursRatios = new ArrayList<>();
			List<Double> springRatios = new ArrayList<>();
			for (int round = 0; round < 5; round++) {
				double base = throughput(baseline, url, Duration.ofSeconds(2));
				// each side in turn first, so that neither always runs next to the same
				// baseline measurement
				double o;
				double s;
				if (round % 2 == 0) {
					o = throughput(oursClient, url, Duration.ofSeconds(2));
					s = throughput(springClient, url, Duration.ofSeconds(2));
				}
				else {
					s = throughput(springClient, url, Duration.ofSeconds(2));
					o = throughput(oursClient, url, Duration.ofSeconds(2));
				}
				double base2 = throughput(baseline, url, Duration.ofSeconds(2));
				double reference = (base + base2) / 2;
				oursRatios.add(o / reference);
				springRatios.add(s / reference);
			}
			System.out.printf(Locale.ROOT,
					"RESULT scenario=overhead threads=4 rounds=5 ours_ratio=%.3f spring_ratio=%.3f%n",
					median(oursRatios), median(springRatios));
		}
		finally {
			target.stop(0);
		}
	}

}
