package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.ManualClock;
import io.github.c2mspring.emulator.TokenKind;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrency of the token manager: callers, evictions, refreshes and failures
 * interleaved, against the emulator on a clock the test moves.
 */
class TokenManagerRaceTests {

	private static final TokenPolicy POLICY = TokenPolicy.defaults();

	private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));

	private final PausingClock pausing = new PausingClock(this.clock);

	private final AtomicReference<C2MTokenManager> manager = new AtomicReference<>();

	private final List<String> violations = new CopyOnWriteArrayList<>();

	private final AtomicInteger exchangesInFlight = new AtomicInteger();

	private final Set<String> evictedIds = ConcurrentHashMap.newKeySet();

	private C2MEmulator emulator;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().clock(this.clock).shortTermTtl(Duration.ofMinutes(15)).start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	private C2MTokenManager manager(Clock managerClock) {
		WebClient webClient = WebClient.builder().baseUrl(this.emulator.baseUrl()).filter((request, next) -> {
			if (!request.url().getPath().endsWith("/auth/tokens/short")) {
				return next.exchange(request);
			}
			return Mono.defer(() -> {
				checkExchangeIsNeeded();
				return next.exchange(request);
			}).doFinally((signal) -> this.exchangesInFlight.decrementAndGet());
		}).build();
		C2MAuthClient client = new C2MAuthClient(webClient, ObservationRegistry.NOOP, Duration.ofSeconds(10));
		C2MTokenManager created = C2MTokenManager
			.builder(client,
					new CredentialLongTermTokenSource(client, "client-1", new C2MCredential.ClientSecret("secret-1"),
							List.of(), Duration.ofDays(30), this.clock))
			.clock(managerClock)
			.policy(POLICY)
			.build();
		this.manager.set(created);
		return created;
	}

	/**
	 * An exchange is needed when no other is running and the token held is past the
	 * earliest refresh point (the clock only moves forward, so a token before it now was
	 * before it when the exchange started) or missing because it was evicted (the last
	 * token the server issued is the last that landed, since exchanges do not overlap).
	 */
	private void checkExchangeIsNeeded() {
		int running = this.exchangesInFlight.incrementAndGet();
		if (running > 1) {
			this.violations.add(running + " exchanges at once for one scope set");
		}
		Instant now = this.clock.instant();
		Optional<ShortTermToken> held = this.manager.get().diagnostics().currentShortTermToken(Set.of());
		if (held.isEmpty()) {
			this.emulator.issuedTokens()
				.stream()
				.filter((token) -> token.kind() == TokenKind.SHORT_TERM)
				.reduce((first, second) -> second)
				.filter((last) -> !this.evictedIds.contains(last.id()))
				.ifPresent((last) -> this.violations.add("an exchange started while no token was held, but the "
						+ "last one issued, " + last.id() + ", was never evicted"));
		}
		held.ifPresent((token) -> {
			Duration life = Duration.between(token.issuedAt(), token.expiresAt());
			Instant earliestRefresh = token.issuedAt()
				.plusMillis((long) (life.toMillis() * (POLICY.refreshAt() - POLICY.refreshJitter())));
			if (now.isBefore(earliestRefresh)) {
				this.violations.add("an exchange started at " + now + " while " + token.tokenId()
						+ " was held, before its refresh point " + earliestRefresh);
			}
		});
	}

	@Test
	void callerThatFoundNoTokenTakesTheOneThatLandedInsteadOfExchangingAgain() throws Exception {
		C2MTokenManager manager = manager(this.pausing);
		manager.getLongTermToken().block();
		CountDownLatch reached = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			Future<ShortTermToken> late = pool.submit(() -> {
				// its second reading of the clock is the one taken after it found no
				// token
				this.pausing.pauseCurrentThreadAt(2, reached, release);
				return manager.getShortTermToken().block(Duration.ofSeconds(30));
			});
			assertThat(reached.await(10, TimeUnit.SECONDS)).isTrue();
			ShortTermToken landed = manager.getShortTermToken().block(Duration.ofSeconds(30));
			release.countDown();
			assertThat(late.get(30, TimeUnit.SECONDS)).isSameAs(landed);
		}
		finally {
			release.countDown();
			pool.shutdownNow();
		}
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
		assertThat(this.violations).isEmpty();
	}

	@Test
	void hammeringKeepsTheInvariants() throws Exception {
		C2MTokenManager manager = manager(this.clock);
		int threads = 12;
		int iterations = 300;
		CyclicBarrier barrier = new CyclicBarrier(threads);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		AtomicInteger served = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				workers.add(pool.submit(() -> {
					barrier.await();
					for (int i = 0; i < iterations; i++) {
						hammer(manager, served, refused);
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.violations).isEmpty();
		assertThat(served.get()).isPositive();
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isGreaterThan(5);
	}

	private void hammer(C2MTokenManager manager, AtomicInteger served, AtomicInteger refused) {
		int dice = ThreadLocalRandom.current().nextInt(100);
		try {
			if (dice < 4) {
				manager.diagnostics().currentShortTermToken(Set.of()).ifPresent((token) -> {
					this.evictedIds.add(token.tokenId());
					manager.evictions().evict(Set.of(), token.tokenValue());
				});
			}
			else if (dice < 6) {
				this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.status(503));
			}
			else if (dice < 20) {
				// a token passes its refresh point (7.5 min) within a few steps and stays
				// usable for a few
				// more; time moves only between requests (each thread at most one step
				// into one), so that
				// a token cannot expire while it is being obtained, as it could not on a
				// real clock
				if (manager.diagnostics().isIdle()) {
					this.clock.advance(Duration.ofSeconds(5 + ThreadLocalRandom.current().nextInt(60)));
				}
			}
			else {
				Instant before = this.clock.instant();
				ShortTermToken token = manager.getShortTermToken().block(Duration.ofSeconds(30));
				if (!token.expiresAt().isAfter(before)) {
					this.violations.add("handed out " + token.tokenId() + " expired at " + token.expiresAt()
							+ ", asked for at " + before);
				}
				served.incrementAndGet();
			}
		}
		catch (C2MAuthException ex) {
			refused.incrementAndGet();
		}
		catch (RuntimeException ex) {
			this.violations.add("caller failed with " + ex);
		}
	}

	/**
	 * A clock that stops one thread at one of its readings until released.
	 */
	static final class PausingClock extends Clock {

		private final Clock delegate;

		private final ThreadLocal<int[]> readings = ThreadLocal.withInitial(() -> new int[1]);

		private volatile Thread paused;

		private volatile int pauseAt;

		private volatile CountDownLatch reached;

		private volatile CountDownLatch release;

		PausingClock(Clock delegate) {
			this.delegate = delegate;
		}

		void pauseCurrentThreadAt(int reading, CountDownLatch reached, CountDownLatch release) {
			this.readings.get()[0] = 0;
			this.pauseAt = reading;
			this.reached = reached;
			this.release = release;
			this.paused = Thread.currentThread();
		}

		@Override
		public Instant instant() {
			if (Thread.currentThread() == this.paused && ++this.readings.get()[0] == this.pauseAt) {
				this.reached.countDown();
				try {
					this.release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return this.delegate.instant();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
