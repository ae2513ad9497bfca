package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.TokenKind;
import io.github.c2mspring.emulator.ManualClock;
import io.github.c2mspring.testsupport.BlockHoundInstalled;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The token manager against the emulator, on a clock the test moves.
 */
@BlockHoundInstalled
class C2MTokenManagerTests {

	private static final String CLIENT_ID = "client-1";

	private final ManualClock clock = ManualClock.startingNow();

	private C2MEmulator emulator;

	private C2MAuthClient client;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().clock(this.clock).shortTermTtl(Duration.ofMinutes(15)).start();
		this.emulator.clients()
			.register(CLIENT_ID)
			.secret("secret-1")
			.otp("otp-1")
			.allowedScopes("jobs:submit", "templates:read", "tokens:revoke");
		this.client = new C2MAuthClient(WebClient.builder().baseUrl(this.emulator.baseUrl()).build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(10));
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	private C2MTokenManager manager(C2MCredential credential, List<String> defaultScopes) {
		LongTermTokenSource source = (credential instanceof C2MCredential.PreProvisionedToken token)
				? new PreProvisionedLongTermTokenSource(token) : new CredentialLongTermTokenSource(this.client,
						CLIENT_ID, credential, List.of(), Duration.ofDays(30), this.clock);
		return C2MTokenManager.builder(this.client, source)
			.defaultScopes(defaultScopes)
			.clock(this.clock)
			.policy(TokenPolicy.defaults().withSafetyMargin(Duration.ofSeconds(60)))
			.build();
	}

	private C2MTokenManager secretManager() {
		return manager(new C2MCredential.ClientSecret("secret-1"), List.of());
	}

	@Test
	void issuesOnceThenServesTheCachedShortTermToken() {
		C2MTokenManager manager = secretManager();
		ShortTermToken first = manager.getShortTermToken().block();
		ShortTermToken second = manager.getShortTermToken().block();
		assertThat(second).isSameAs(first);
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
		assertThat(manager.diagnostics().statistics().cacheHits()).isEqualTo(1);
		assertThat(manager.diagnostics().statistics().exchanges()).isEqualTo(1);
		assertThat(manager.diagnostics().statistics().issuances()).isEqualTo(1);
		assertThat(first.expiresAt()).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(15)));
	}

	@Test
	void cachesOneTokenPerScopeSet() {
		C2MTokenManager manager = secretManager();
		ShortTermToken all = manager.getShortTermToken().block();
		ShortTermToken jobs = manager.getShortTermToken(List.of("jobs:submit")).block();
		ShortTermToken jobsAgain = manager.getShortTermToken(List.of(" jobs:submit")).block();
		ShortTermToken both = manager.getShortTermToken(List.of("templates:read", "jobs:submit")).block();
		ShortTermToken bothReordered = manager.getShortTermToken(List.of("jobs:submit", "templates:read")).block();
		assertThat(jobs.scopes()).containsExactly("jobs:submit");
		assertThat(all.scopes()).hasSize(3);
		assertThat(jobsAgain).isSameAs(jobs);
		assertThat(bothReordered).isSameAs(both);
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(3);
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
	}

	@Test
	void reExchangesWithinTheClockSkewBeforeExpiry() {
		C2MTokenManager manager = secretManager();
		ShortTermToken first = manager.getShortTermToken().block();
		this.clock.advance(Duration.ofMinutes(13).plusSeconds(59));
		assertThat(manager.getShortTermToken().block()).isSameAs(first);
		this.clock.advance(Duration.ofSeconds(2));
		ShortTermToken second = manager.getShortTermToken().block();
		assertThat(second.tokenValue()).isNotEqualTo(first.tokenValue());
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
	}

	@Test
	void concurrentCallersShareOneExchange() throws Exception {
		C2MTokenManager manager = secretManager();
		manager.getLongTermToken().block();
		int callers = 64;
		CountDownLatch release = new CountDownLatch(1);
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.block(release));
		CyclicBarrier barrier = new CyclicBarrier(callers);
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			List<Future<ShortTermToken>> results = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				results.add(pool.submit(() -> {
					barrier.await();
					return manager.getShortTermToken().block(Duration.ofSeconds(30));
				}));
			}
			assertThat(this.emulator.awaitRequestCount(Endpoint.SHORT_TERM_TOKEN, 1, Duration.ofSeconds(10))).isTrue();
			release.countDown();
			ShortTermToken first = results.get(0).get(30, TimeUnit.SECONDS);
			for (Future<ShortTermToken> result : results) {
				assertThat(result.get(30, TimeUnit.SECONDS)).isSameAs(first);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
	}

	@Test
	void concurrentCallersShareOneFailureAndTheNextCallerTriesAgain() throws Exception {
		C2MTokenManager manager = secretManager();
		manager.getLongTermToken().block();
		CountDownLatch release = new CountDownLatch(1);
		this.emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.blockThen(release, Fault.status(503)));
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Object>> results = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				results.add(pool.submit(() -> {
					try {
						return manager.getShortTermToken().block(Duration.ofSeconds(30));
					}
					catch (C2MAuthException ex) {
						return ex;
					}
				}));
			}
			assertThat(this.emulator.awaitRequestCount(Endpoint.SHORT_TERM_TOKEN, 1, Duration.ofSeconds(10))).isTrue();
			release.countDown();
			for (Future<Object> result : results) {
				assertThat(result.get(30, TimeUnit.SECONDS)).isInstanceOf(C2MAuthException.class);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
		assertThat(manager.diagnostics().lastFailure())
			.hasValueSatisfying((failure) -> assertThat(failure.exception().getStatus()).isEqualTo(503));
		// while retries back off, a caller without a usable token fails at once, without
		// a request
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> manager.getShortTermToken().block())
			.satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(503));
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(manager.getShortTermToken().block()).isNotNull();
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
	}

	@Test
	void revokedLongTermTokenIsIssuedAgainFromTheCredential() {
		C2MTokenManager manager = secretManager();
		LongTermToken first = manager.getLongTermToken().block();
		this.emulator.revoke(first.tokenId());
		ShortTermToken token = manager.getShortTermToken().block();
		assertThat(token).isNotNull();
		assertThat(manager.diagnostics().currentLongTermToken()).get().isNotEqualTo(first);
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(2);
		assertThat(manager.diagnostics().statistics().issuances()).isEqualTo(2);
	}

	@Test
	void expiredLongTermTokenIsIssuedAgain() {
		C2MTokenManager manager = secretManager();
		LongTermToken first = manager.getLongTermToken().block();
		this.clock.advance(Duration.ofDays(30));
		ShortTermToken token = manager.getShortTermToken().block();
		assertThat(manager.diagnostics().currentLongTermToken()).get().isNotEqualTo(first);
		assertThat(token.expiresAt()).isAfter(this.clock.instant());
	}

	@Test
	void preProvisionedTokenThatIsRevokedFailsClearly() {
		C2MTokenManager issuer = secretManager();
		LongTermToken provisioned = issuer.getLongTermToken().block();
		C2MTokenManager manager = manager(new C2MCredential.PreProvisionedToken(provisioned.tokenValue()), List.of());
		assertThat(manager.getShortTermToken().block()).isNotNull();
		this.emulator.revoke(provisioned.tokenId());
		this.clock.advance(Duration.ofMinutes(15));
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> manager.getShortTermToken().block())
			.satisfies((ex) -> {
				assertThat(ex.getCode()).isEqualTo("invalid_token");
				assertThat(ex.getMessage()).doesNotContain(provisioned.tokenValue());
			});
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
	}

	@Test
	void oneTimeCodeIsNeverSentTwice() {
		C2MTokenManager manager = manager(new C2MCredential.OneTimePassword("otp-1"), List.of());
		LongTermToken first = manager.getLongTermToken().block();
		this.emulator.revoke(first.tokenId());
		assertThatExceptionOfType(C2MAuthException.class).isThrownBy(() -> manager.getShortTermToken().block())
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo("invalid_token"));
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
	}

	@Test
	void evictionMakesTheNextCallerExchange() {
		C2MTokenManager manager = manager(new C2MCredential.ClientSecret("secret-1"), List.of("jobs:submit"));
		ShortTermToken first = manager.getShortTermToken().block();
		manager.evictions().evict(Set.of("someone:else"), null);
		manager.evictions().evict(Set.of(), "not-the-token");
		assertThat(manager.getShortTermToken().block()).isSameAs(first);
		manager.evictions().evict(Set.of(), first.tokenValue());
		assertThat(manager.getShortTermToken().block()).isNotSameAs(first);
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
	}

	@Test
	void toStringRevealsNoToken() {
		C2MTokenManager manager = secretManager();
		ShortTermToken shortTerm = manager.getShortTermToken().block();
		LongTermToken longTerm = manager.diagnostics().currentLongTermToken().orElseThrow();
		assertThat(shortTerm.toString()).doesNotContain(shortTerm.tokenValue()).contains(shortTerm.tokenId());
		assertThat(longTerm.toString()).doesNotContain(longTerm.tokenValue());
	}

}
