package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import io.github.c2mspring.emulator.IssuedToken;
import io.github.c2mspring.emulator.ManualClock;
import io.github.c2mspring.emulator.TokenKind;
import io.github.c2mspring.testsupport.BlockHoundInstalled;
import io.github.c2mspring.testsupport.ForwardingLongTermTokenStore;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paths of a shared long-term token that a well-behaved fleet rarely takes, each
 * forced here with managers sharing one in-memory store: a rotation that loses the race
 * to the store, and a retired token that the server will not let the fleet revoke.
 */
@BlockHoundInstalled
class SharedLongTermTokenTests {

	private static final String CLIENT_ID = "client-1";

	private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));

	private final C2MEmulator emulator = C2MEmulator.builder().clock(this.clock).start();

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	private C2MTokenManager manager(LongTermTokenStore store) {
		C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl(this.emulator.baseUrl()).build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(30));
		CredentialLongTermTokenSource source = new CredentialLongTermTokenSource(client, CLIENT_ID,
				new C2MCredential.ClientSecret("secret-1"), List.of(), Duration.ofHours(2), this.clock);
		return C2MTokenManager.builder(client, source)
			.defaultScopes(List.of("jobs:submit"))
			.clock(this.clock)
			.rotation(CLIENT_ID, List.of(), Duration.ofHours(2))
			.longTermTokenStore(store, CLIENT_ID, Duration.ofSeconds(30), Duration.ofMinutes(1))
			.build();
	}

	@Test
	void rotationThatLosesTheRaceToTheStoreRevokesItsTokenAndAdoptsTheStoredOne() throws Exception {
		this.emulator.clients()
			.register(CLIENT_ID)
			.secret("secret-1")
			.allowedScopes("jobs:submit", "tokens:write", "tokens:revoke");
		// a lease that never holds anyone off: as if each instance's lease ran out while
		// it rotated
		LongTermTokenStore store = new LeaseAlwaysGranted(new InMemoryLongTermTokenStore());
		C2MTokenManager one = manager(store);
		C2MTokenManager two = manager(store);
		LongTermToken first = one.getLongTermToken().block();
		assertThat(two.getLongTermToken().block().tokenValue()).isEqualTo(first.tokenValue());
		this.clock.advance(Duration.ofMinutes(61));
		CountDownLatch release = new CountDownLatch(1);
		this.emulator.faults().times(Endpoint.LONG_TERM_TOKEN, 2, Fault.block(release));
		CompletableFuture<Void> rotations = Mono.when(one.checkLongTermToken(), two.checkLongTermToken()).toFuture();
		assertThat(this.emulator.awaitRequestCount(Endpoint.LONG_TERM_TOKEN, 3, Duration.ofSeconds(20))).isTrue();
		release.countDown();
		rotations.get(20, TimeUnit.SECONDS);
		List<IssuedToken> rotated = this.emulator.issuedTokens()
			.stream()
			.filter((token) -> token.kind() == TokenKind.LONG_TERM && token.mechanism().equals("rotation"))
			.toList();
		assertThat(rotated).hasSize(2);
		StoredToken stored = store.load(CLIENT_ID).orElseThrow();
		IssuedToken winner = rotated.stream()
			.filter((token) -> token.id().equals(stored.token().tokenId()))
			.findFirst()
			.orElseThrow();
		IssuedToken loser = rotated.stream().filter((token) -> token != winner).findFirst().orElseThrow();
		assertThat(one.diagnostics().currentLongTermToken().orElseThrow().tokenId()).isEqualTo(winner.id());
		assertThat(two.diagnostics().currentLongTermToken().orElseThrow().tokenId()).isEqualTo(winner.id());
		assertThat(this.emulator.isRevoked(loser.id())).isTrue();
		assertThat(this.emulator.isRevoked(winner.id())).isFalse();
		assertThat(this.emulator.isRevoked(first.tokenId())).isFalse();
		assertThat(stored.retired())
			.isEqualTo(new RetiredToken(first.tokenId(), this.clock.instant().plus(Duration.ofMinutes(5))));
		assertThat(one.diagnostics().statistics().rotations() + two.diagnostics().statistics().rotations()).isOne();
	}

	@Test
	void retiredTokenTheServerWillNotRevokeIsGivenUpOnInsteadOfRetriedForever() {
		this.emulator.clients().register(CLIENT_ID).secret("secret-1").allowedScopes("jobs:submit", "tokens:write");
		InMemoryLongTermTokenStore store = new InMemoryLongTermTokenStore();
		C2MTokenManager manager = manager(store);
		LongTermToken first = manager.getLongTermToken().block();
		this.clock.advance(Duration.ofMinutes(61));
		manager.checkLongTermToken().block(Duration.ofSeconds(20));
		assertThat(manager.diagnostics().statistics().rotations()).isOne();
		assertThat(store.load(CLIENT_ID).orElseThrow().retired()).isNotNull();
		this.clock.advance(Duration.ofMinutes(5));
		manager.checkLongTermToken().block(Duration.ofSeconds(20));
		assertThat(this.emulator.requestCount(Endpoint.REVOKE)).isOne();
		assertThat(manager.diagnostics().lastFailure())
			.hasValueSatisfying((failure) -> assertThat(failure.exception().getCode()).isEqualTo("insufficient_scope"));
		assertThat(store.load(CLIENT_ID).orElseThrow().retired()).isNull();
		this.clock.advance(Duration.ofMinutes(5));
		manager.checkLongTermToken().block(Duration.ofSeconds(20));
		assertThat(this.emulator.requestCount(Endpoint.REVOKE)).isOne();
		assertThat(this.emulator.isRevoked(first.tokenId())).isFalse();
	}

	@Test
	void rotationThatTheStoreCannotTakeIsRevokedAndNotRetriedForTenCheckIntervals() {
		this.emulator.clients()
			.register(CLIENT_ID)
			.secret("secret-1")
			.allowedScopes("jobs:submit", "tokens:write", "tokens:revoke");
		// loads, leases and the first write work; every rotation's write (it carries a
		// retired token) fails
		LongTermTokenStore store = new ForwardingLongTermTokenStore(new InMemoryLongTermTokenStore()) {

			@Override
			public boolean compareAndSet(String key, LongTermToken token, RetiredToken retired, long expected) {
				if (retired != null) {
					throw new IllegalStateException("value too long for column token_value");
				}
				return super.compareAndSet(key, token, retired, expected);
			}

		};
		C2MTokenManager manager = manager(store);
		LongTermToken first = manager.getLongTermToken().block();
		this.clock.advance(Duration.ofMinutes(61));
		manager.checkLongTermToken().block(Duration.ofSeconds(20));
		assertThat(manager.diagnostics().statistics().rotationFailures()).isOne();
		assertThat(manager.diagnostics().currentLongTermToken()).hasValue(first);
		assertThat(this.emulator.issuedTokens()).filteredOn((token) -> "rotation".equals(token.mechanism()))
			.singleElement()
			.satisfies((rotated) -> assertThat(this.emulator.isRevoked(rotated.id())).isTrue());
		for (int minute = 1; minute < 10; minute++) {
			this.clock.advance(Duration.ofMinutes(1));
			manager.checkLongTermToken().block(Duration.ofSeconds(20));
		}
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(2);
		this.clock.advance(Duration.ofMinutes(1));
		manager.checkLongTermToken().block(Duration.ofSeconds(20));
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(3);
		assertThat(manager.diagnostics().statistics().rotationFailures()).isEqualTo(2);
	}

	/**
	 * A store whose lease is granted to every instance that asks.
	 */
	private static final class LeaseAlwaysGranted extends ForwardingLongTermTokenStore {

		LeaseAlwaysGranted(LongTermTokenStore delegate) {
			super(delegate);
		}

		@Override
		public boolean tryLease(String key, String owner, Instant now, Instant until) {
			return true;
		}

		@Override
		public void releaseLease(String key, String owner) {
		}

	}

}
