package io.github.c2mspring.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import io.github.c2mspring.benchmarks.Benchmarks.Side;

import org.springframework.web.client.RestClient;

import static io.github.c2mspring.benchmarks.Benchmarks.tryAuthorize;

/**
 * What the scenarios measure with: request counts, callers released together or in a
 * loop, latency and throughput figures.
 */
final class Measurements {

	private Measurements() {
	}

	static int countRequests(IntSupplier requests, ThrowingRunnable action) throws Exception {
		int before = requests.getAsInt();
		action.run();
		return requests.getAsInt() - before;
	}

	static void release(int callers, Side manager) throws Exception {
		CyclicBarrier barrier = new CyclicBarrier(callers);
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				results.add(pool.submit(() -> {
					barrier.await();
					return tryAuthorize(manager);
				}));
			}
			for (Future<Boolean> result : results) {
				result.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	static List<Long> loop(int callers, Duration duration, RestClient client, String url) throws Exception {
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		long end = System.nanoTime() + duration.toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				done.add(pool.submit(() -> {
					while (System.nanoTime() < end) {
						long start = System.nanoTime();
						try {
							client.post().uri(url).body("{}").retrieve().toBodilessEntity();
						}
						catch (RuntimeException ex) {
							// a failed call still counts with its latency
						}
						latencies.add(System.nanoTime() - start);
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		return new ArrayList<>(latencies);
	}

	static long blocked(List<Long> latencies) {
		return latencies.stream().filter((nanos) -> nanos >= TimeUnit.MILLISECONDS.toNanos(400)).count();
	}

	static double p99(List<Long> latencies) {
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1_000_000.0;
	}

	static double throughput(RestClient client, String url, Duration duration) throws Exception {
		int threads = 4;
		LongAdder calls = new LongAdder();
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			for (int i = 0; i < threads; i++) {
				pool.submit(() -> {
					while (running.get()) {
						client.post().uri(url).body("{}").retrieve().toBodilessEntity();
						calls.increment();
					}
					return null;
				});
			}
			long start = System.nanoTime();
			Thread.sleep(duration.toMillis());
			running.set(false);
			long count = calls.sum();
			return count / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			pool.shutdown();
			pool.awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

	interface ThrowingRunnable {

		void run() throws Exception;

	}

}
