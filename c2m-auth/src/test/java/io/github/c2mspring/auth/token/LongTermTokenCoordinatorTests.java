package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import io.github.c2mspring.emulator.ManualClock;
import io.github.c2mspring.testsupport.BlockHoundInstalled;
import io.github.c2mspring.testsupport.ForwardingLongTermTokenStore;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The coordinator's rules at the edges a fleet rarely reaches, each forced on an
 * in-memory store with a virtual clock and a recording revoker: a retired token keeps its
 * grace period even when the next rotation comes early, a token the server issued is
 * never lost to a failed write, two operations of one instance never share a lease, and a
 * write lost only to a version change is retried instead of thrown away.
 */
@BlockHoundInstalled
class LongTermTokenCoordinatorTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));

	private final List<String> revoked = new CopyOnWriteArrayList<>();

	private final InMemoryLongTermTokenStore store = new InMemoryLongTermTokenStore();

	@Test
	void aRetiredTokenInItsGracePeriodHoldsTheNextRotationBackUntilItIsRevoked() {
		LongTermToken t1 = token("t1");
		this.store.compareAndSet("k", t1, new RetiredToken("t0", this.clock.instant().plus(Duration.ofHours(1))), 0);
		LongTermTokenCoordinator coordinator = coordinator(this.store, issuing(), recording());
		assertThat(rotate(coordinator, t1, "t2").kind()).isEqualTo(LongTermTokenCoordinator.Kind.BUSY);
		assertThat(this.revoked).isEmpty();
		assertThat(this.store.load("k").orElseThrow().retired().tokenId()).isEqualTo("t0");
		this.clock.advance(Duration.ofHours(1));
		// due now: this attempt revokes it, the next one rotates
		assertThat(rotate(coordinator, t1, "t2").kind()).isEqualTo(LongTermTokenCoordinator.Kind.BUSY);
		assertThat(this.revoked).containsExactly("t0");
		LongTermTokenCoordinator.Outcome rotated = rotate(coordinator, t1, "t2");
		assertThat(rotated.kind()).isEqualTo(LongTermTokenCoordinator.Kind.ROTATED);
		StoredToken row = this.store.load("k").orElseThrow();
		assertThat(row.token().tokenId()).isEqualTo("t2");
		assertThat(row.retired().tokenId()).isEqualTo("t1");
		assertThat(this.revoked).containsExactly("t0");
	}

	@Test
	void aRetiredTokenWhoseRevocationFailsHoldsTheRotationBackForAGracePeriodAtMost() {
		LongTermToken t1 = token("t1");
		this.store.compareAndSet("k", t1, new RetiredToken("t0", this.clock.instant()), 0);
		List<String> attempts = new CopyOnWriteArrayList<>();
		LongTermTokenCoordinator coordinator = coordinator(this.store, issuing(),
				(tokenId, authority) -> Mono.fromRunnable(() -> attempts.add(tokenId))
					.then(refusing(503).revoke(tokenId, authority)));
		for (int minute = 0; minute < 5; minute++) {
			assertThat(rotate(coordinator, t1, "t2").kind()).isEqualTo(LongTermTokenCoordinator.Kind.BUSY);
			StoredToken row = this.store.load("k").orElseThrow();
			assertThat(row.token().tokenId()).isEqualTo("t1");
			assertThat(row.retired().tokenId()).isEqualTo("t0");
			this.clock.advance(Duration.ofMinutes(1));
		}
		assertThat(attempts).hasSize(5).containsOnly("t0");
		// due for a whole grace period: the rotation goes ahead, and t0 is left to expire
		assertThat(rotate(coordinator, t1, "t2").kind()).isEqualTo(LongTermTokenCoordinator.Kind.ROTATED);
		StoredToken row = this.store.load("k").orElseThrow();
		assertThat(row.token().tokenId()).isEqualTo("t2");
		assertThat(row.retired().tokenId()).isEqualTo("t1");
	}

	@Test
	void aStoreThatWentBackInTimeGetsTheNewerHeldTokenBackAndRetiresTheOlderOne() {
		LongTermToken t1 = token("t1");
		this.store.compareAndSet("k", t1, null, 0);
		LongTermTokenCoordinator coordinator = coordinator(this.store, issuing(), recording());
		this.clock.advance(Duration.ofMinutes(60));
		LongTermTokenCoordinator.Outcome rotated = rotate(coordinator, t1, "t2");
		assertThat(rotated.kind()).isEqualTo(LongTermTokenCoordinator.Kind.ROTATED);
		// a failover to a replica that missed the rotation's write: t1 again, version 2
		StoredToken lost = this.store.load("k").orElseThrow();
		this.store.compareAndSet("k", t1, null, lost.version());
		LongTermTokenCoordinator.Outcome checked = coordinator.check(rotated.token(), Duration.ofMinutes(5), true)
			.block(Duration.ofSeconds(10));
		assertThat(checked.kind()).isEqualTo(LongTermTokenCoordinator.Kind.UNCHANGED);
		StoredToken row = this.store.load("k").orElseThrow();
		assertThat(row.token().tokenId()).isEqualTo("t2");
		assertThat(row.retired()).isEqualTo(new RetiredToken("t1", this.clock.instant().plus(Duration.ofMinutes(5))));
		// without revocation after a rotation, the older token is only put aside
		this.store.compareAndSet("k", t1, null, row.version());
		coordinator.check(rotated.token(), Duration.ofMinutes(5), false).block(Duration.ofSeconds(10));
		assertThat(this.store.load("k").orElseThrow().token().tokenId()).isEqualTo("t2");
		assertThat(this.store.load("k").orElseThrow().retired()).isNull();
		assertThat(this.revoked).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 403 })
	void aRetiredTokenTheServerWillNeverRevokeIsGivenUpOn(int status) {
		LongTermToken t1 = token("t1");
		this.store.compareAndSet("k", t1, new RetiredToken("t0", this.clock.instant()), 0);
		LongTermTokenCoordinator coordinator = coordinator(this.store, issuing(), refusing(status));
		assertThat(coordinator.check(t1, Duration.ZERO, false).block(Duration.ofSeconds(10)).kind())
			.isEqualTo(LongTermTokenCoordinator.Kind.UNCHANGED);
		assertThat(this.store.load("k").orElseThrow().retired()).isNull();
	}

	@Test
	void aRetiredTokenRefusedForLackOfTokensRevokeIsGivenUpOnButNotOneRefusedForAnUnusableAuthority() {
		// the contract answers a revocation with 204, 401 or 404: a token without
		// tokens:revoke gets
		// 401 insufficient_scope, which no retry will change; 401 invalid_token may heal
		LongTermToken t1 = token("t1");
		this.store.compareAndSet("k", t1, new RetiredToken("t0", this.clock.instant()), 0);
		LongTermTokenCoordinator unusable = coordinator(this.store, issuing(), refusing(401, "invalid_token"));
		unusable.check(t1, Duration.ZERO, false).block(Duration.ofSeconds(10));
		assertThat(this.store.load("k").orElseThrow().retired().tokenId()).isEqualTo("t0");
		LongTermTokenCoordinator lacking = coordinator(this.store, issuing(), refusing(401, "insufficient_scope"));
		assertThat(lacking.check(t1, Duration.ZERO, false).block(Duration.ofSeconds(10)).kind())
			.isEqualTo(LongTermTokenCoordinator.Kind.UNCHANGED);
		assertThat(this.store.load("k").orElseThrow().retired()).isNull();
	}

	@Test
	void anIssuedTokenThatCannotBeStoredIsKeptInUseAndStoredAtTheNextCheck() {
		FailingWrites flaky = new FailingWrites(this.store, 1);
		OneTimeCode otp = new OneTimeCode();
		LongTermTokenCoordinator coordinator = coordinator(flaky, otp, recording());
		LongTermTokenCoordinator.Outcome outcome = coordinator.obtain().block(Duration.ofSeconds(10));
		assertThat(outcome.kind()).isEqualTo(LongTermTokenCoordinator.Kind.ISSUED);
		assertThat(outcome.token().tokenId()).isEqualTo("otp-1");
		assertThat(this.store.load("k")).isEmpty();
		assertThat(this.revoked).isEmpty();
		coordinator.check(outcome.token(), Duration.ZERO, false).block(Duration.ofSeconds(10));
		assertThat(this.store.load("k")).hasValueSatisfying(
				(stored) -> assertThat(stored.token().tokenValue()).isEqualTo(outcome.token().tokenValue()));
		assertThat(otp.issued).hasValue(1);
	}

	@Test
	void anIssuedTokenThatCannotBeStoredReplacesARefusedStoredTokenAtTheNextCheck() {
		LongTermToken refused = token("t0");
		this.store.compareAndSet("k", refused, null, 0);
		FailingWrites flaky = new FailingWrites(this.store, 1);
		LongTermTokenCoordinator coordinator = coordinator(flaky, issuing(), recording());
		coordinator.refused(refused);
		LongTermTokenCoordinator.Outcome outcome = coordinator.obtain().block(Duration.ofSeconds(10));
		assertThat(outcome.kind()).isEqualTo(LongTermTokenCoordinator.Kind.ISSUED);
		assertThat(this.store.load("k").orElseThrow().token().tokenId()).isEqualTo("t0");
		coordinator.check(outcome.token(), Duration.ZERO, false).block(Duration.ofSeconds(10));
		assertThat(this.store.load("k").orElseThrow().token().tokenId()).isEqualTo(outcome.token().tokenId());
	}

	@Test
	void aRotatedTokenWhoseWriteFailedAfterItWentThroughIsKeptNotRevoked() {
		LongTermToken t1 = token("t1");
		this.store.compareAndSet("k", t1, null, 0);
		LongTermTokenStore committedThenFailed = new ForwardingLongTermTokenStore(this.store) {

			@Override
			public boolean compareAndSet(String key, LongTermToken token, RetiredToken retired, long version) {
				super.compareAndSet(key, token, retired, version);
				throw new TransientDataAccessResourceException("connection lost after the commit");
			}

		};
		LongTermTokenCoordinator coordinator = coordinator(committedThenFailed, issuing(), recording());
		LongTermTokenCoordinator.Outcome outcome = rotate(coordinator, t1, "t2");
		assertThat(outcome.kind()).isEqualTo(LongTermTokenCoordinator.Kind.ROTATED);
		assertThat(outcome.token().tokenId()).isEqualTo("t2");
		assertThat(this.store.load("k").orElseThrow().token().tokenId()).isEqualTo("t2");
		assertThat(this.revoked).isEmpty();
	}

	@Test
	void aRotatedTokenIsNotRevokedWhenTheStoreCannotTellWhetherItTookIt() {
		LongTermToken t1 = token("t1");
		this.store.compareAndSet("k", t1, null, 0);
		AtomicBoolean down = new AtomicBoolean();
		LongTermTokenStore goesDown = new ForwardingLongTermTokenStore(this.store) {

			@Override
			public Optional<StoredToken> load(String key) {
				if (down.get()) {
					throw new TransientDataAccessResourceException("database down");
				}
				return super.load(key);
			}

			@Override
			public boolean compareAndSet(String key, LongTermToken token, RetiredToken retired, long version) {
				down.set(true);
				throw new TransientDataAccessResourceException("database down");
			}

			@Override
			public void releaseLease(String key, String owner) {
			}

		};
		LongTermTokenCoordinator coordinator = coordinator(goesDown, issuing(), recording());
		assertThat(catchThrowable(() -> rotate(coordinator, t1, "t2"))).isInstanceOf(C2MAuthException.class);
		assertThat(this.revoked).isEmpty();
	}

	@Test
	void anUnstoredIssuedTokenIsRevokedWhenAnotherInstanceStoredOneFirst() {
		LongTermTokenCoordinator coordinator = coordinator(new FailingWrites(this.store, 1), issuing(), recording());
		LongTermToken unstored = coordinator.obtain().block(Duration.ofSeconds(10)).token();
		LongTermToken theirs = token("theirs");
		this.store.compareAndSet("k", theirs, null, 0);
		LongTermTokenCoordinator.Outcome outcome = coordinator.check(unstored, Duration.ZERO, false)
			.block(Duration.ofSeconds(10));
		assertThat(outcome.kind()).isEqualTo(LongTermTokenCoordinator.Kind.ADOPTED);
		assertThat(outcome.token().tokenId()).isEqualTo("theirs");
		assertThat(this.revoked).containsExactly(unstored.tokenId());
	}

	@Test
	void aTokenAnotherInstanceStoredInPlaceOfAStoredOneIsAdoptedWithoutRevokingTheHeldOne() {
		LongTermToken t1 = token("t1");
		this.store.compareAndSet("k", t1, null, 0);
		LongTermTokenCoordinator coordinator = coordinator(this.store, issuing(), recording());
		this.store.compareAndSet("k", token("t2"), new RetiredToken("t1", this.clock.instant().plusSeconds(300)), 1);
		assertThat(coordinator.check(t1, Duration.ZERO, false).block(Duration.ofSeconds(10)).kind())
			.isEqualTo(LongTermTokenCoordinator.Kind.ADOPTED);
		assertThat(this.revoked).isEmpty();
	}

	@Test
	void aRotatedTokenThatCannotBeStoredIsRevokedAndTheHeldTokenStays() {
		LongTermToken t1 = token("t1");
		this.store.compareAndSet("k", t1, null, 0);
		LongTermTokenCoordinator coordinator = coordinator(new FailingWrites(this.store, 1), issuing(), recording());
		Throwable failure = catchThrowable(() -> rotate(coordinator, t1, "t2"));
		assertThat(failure).isInstanceOfSatisfying(C2MAuthException.class, (ex) -> {
			assertThat(ex.getCode()).isEqualTo("store_error");
			assertThat(ex.getMessage())
				.contains("column 'token_value' refused the value being written, namely " + "'<masked>' (too long)")
				.doesNotContain("value-t2");
			assertThat(ex.getCause()).isInstanceOf(StoreCalls.StoreFailure.class)
				.hasNoCause()
				.hasMessageContaining("TransientDataAccessResourceException")
				.hasMessageNotContaining("value-t2");
			assertThat(ex.getCause().getStackTrace()).isNotEmpty();
		});
		assertThat(this.revoked).containsExactly("t2");
		StoredToken row = this.store.load("k").orElseThrow();
		assertThat(row.token().tokenId()).isEqualTo("t1");
		assertThat(row.retired()).isNull();
	}

	@Test
	void twoOperationsOfOneInstanceDoNotShareTheLease() throws Exception {
		LongTermToken t1 = token("t1");
		this.store.compareAndSet("k", t1, null, 0);
		CountingLeases leases = new CountingLeases(this.store);
		LongTermTokenCoordinator coordinator = coordinator(leases, issuing(), recording());
		CountDownLatch rotating = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		CompletableFuture<LongTermTokenCoordinator.Outcome> rotation = coordinator
			.rotate(t1, Mono.just("writer"), (writer) -> Mono.fromCallable(() -> {
				rotating.countDown();
				finish.await(10, TimeUnit.SECONDS);
				return token("t2");
			}).subscribeOn(Schedulers.boundedElastic()), Duration.ofMinutes(5), true)
			.toFuture();
		assertThat(rotating.await(10, TimeUnit.SECONDS)).isTrue();
		// meanwhile this instance learns that t1 was refused and needs a token: it may
		// not issue
		// under the rotation's lease, so it waits, and does not give the lease back when
		// it is done
		coordinator.refused(t1);
		CompletableFuture<LongTermTokenCoordinator.Outcome> obtained = coordinator.obtain().toFuture();
		awaitTrue(() -> leases.refused.get() >= 2);
		Instant now = this.clock.instant();
		assertThat(this.store.tryLease("k", "another-instance", now, now.plus(LEASE))).isFalse();
		finish.countDown();
		assertThat(rotation.get(10, TimeUnit.SECONDS).kind()).isEqualTo(LongTermTokenCoordinator.Kind.ROTATED);
		LongTermTokenCoordinator.Outcome outcome = obtained.get(10, TimeUnit.SECONDS);
		assertThat(outcome.kind()).isEqualTo(LongTermTokenCoordinator.Kind.ADOPTED);
		assertThat(outcome.token().tokenId()).isEqualTo("t2");
		assertThat(this.store.load("k").orElseThrow().token().tokenId()).isEqualTo("t2");
	}

	@Test
	void aRotationWhoseWriteLosesOnlyToAVersionChangeStoresItsToken() {
		LongTermToken t1 = token("t1");
		this.store.compareAndSet("k", t1, null, 0);
		LongTermTokenCoordinator coordinator = coordinator(this.store, issuing(), recording());
		LongTermTokenCoordinator.Outcome outcome = coordinator
			.rotate(t1, Mono.just("writer"), (writer) -> Mono.fromCallable(() -> {
				// meanwhile another instance rewrote the row with the same token (its
				// check put it back)
				StoredToken row = this.store.load("k").orElseThrow();
				this.store.compareAndSet("k", row.token(), null, row.version());
				return token("t2");
			}), Duration.ofMinutes(5), true)
			.block(Duration.ofSeconds(10));
		assertThat(outcome.kind()).isEqualTo(LongTermTokenCoordinator.Kind.ROTATED);
		assertThat(this.store.load("k").orElseThrow().token().tokenId()).isEqualTo("t2");
		assertThat(this.revoked).isEmpty();
	}

	@Test
	void timesSharedThroughTheStoreAreWallClockTimesWhenExpiryIsMeasuredOnAMonotonicClock() {
		C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl("http://127.0.0.1:9").build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(1));
		assertThat(C2MTokenManager.builder(client, issuing()).clock(new MonotonicClock()).build().storeClock())
			.isEqualTo(Clock.systemUTC());
		assertThat(C2MTokenManager.builder(client, issuing()).clock(this.clock).build().storeClock())
			.isSameAs(this.clock);
	}

	/** Waits for a condition another thread makes true (bounded; no fixed sleep). */
	private static void awaitTrue(BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

	private LongTermTokenCoordinator.Outcome rotate(LongTermTokenCoordinator coordinator, LongTermToken held,
			String fresh) {
		return coordinator
			.rotate(held, Mono.just("writer"), (writer) -> Mono.just(token(fresh)), Duration.ofMinutes(5), true)
			.block(Duration.ofSeconds(10));
	}

	private LongTermTokenCoordinator coordinator(LongTermTokenStore store, LongTermTokenSource source,
			LongTermTokenCoordinator.Revoker revoker) {
		return new LongTermTokenCoordinator(store, "k", source, this.clock, LEASE,
				(token) -> this.clock.instant().plusSeconds(60).isBefore(token.expiresAt()), revoker,
				TokenExecution.defaults());
	}

	private LongTermToken token(String id) {
		Instant now = this.clock.instant();
		return new LongTermToken("value-" + id + "-eyJhbGciOiJSUzI1NiJ9.secret", id,
				Set.of("tokens:write", "tokens:revoke"), now, now.plus(Duration.ofHours(2)));
	}

	private LongTermTokenCoordinator.Revoker recording() {
		return (tokenId, authority) -> Mono.fromRunnable(() -> this.revoked.add(tokenId));
	}

	private static LongTermTokenCoordinator.Revoker refusing(int status) {
		return refusing(status, "refused");
	}

	private static LongTermTokenCoordinator.Revoker refusing(int status, String code) {
		return (tokenId, authority) -> Mono
			.error(new C2MAuthException(C2MOperation.REVOKE_TOKEN, status, code, null, null, "refused", null));
	}

	/** A credential that issues a new token each time. */
	private LongTermTokenSource issuing() {
		AtomicInteger count = new AtomicInteger();
		return new LongTermTokenSource() {

			@Override
			public Mono<LongTermToken> obtain() {
				return Mono.fromSupplier(() -> token("issued-" + count.incrementAndGet()));
			}

			@Override
			public boolean canIssue() {
				return true;
			}

			@Override
			public String description() {
				return "client-secret";
			}

		};
	}

	/** A one-time code: it issues once, and is spent. */
	private final class OneTimeCode implements LongTermTokenSource {

		final AtomicInteger issued = new AtomicInteger();

		private final AtomicBoolean spent = new AtomicBoolean();

		@Override
		public Mono<LongTermToken> obtain() {
			return Mono.defer(() -> {
				if (this.spent.getAndSet(true)) {
					return Mono.error(new C2MAuthException(C2MOperation.ISSUE_LONG_TERM_TOKEN, 401, "otp_spent", null,
							null, "the one-time code was used", null));
				}
				this.issued.incrementAndGet();
				return Mono.just(token("otp-1"));
			});
		}

		@Override
		public boolean canIssue() {
			return !this.spent.get();
		}

		@Override
		public String description() {
			return "otp-code";
		}

	}

	/**
	 * A store whose first writes fail as a database that dropped the connection would.
	 */
	private static final class FailingWrites extends ForwardingLongTermTokenStore {

		private final AtomicInteger failuresLeft;

		FailingWrites(LongTermTokenStore delegate, int failures) {
			super(delegate);
			this.failuresLeft = new AtomicInteger(failures);
		}

		@Override
		public boolean compareAndSet(String key, LongTermToken token, RetiredToken retired, long expectedVersion) {
			if (this.failuresLeft.getAndDecrement() > 0) {
				// as a driver may put it: the value it was writing, quoted among other
				// quoted words
				throw new TransientDataAccessResourceException("column 'token_value' refused the value being "
						+ "written, namely '" + token.tokenValue() + "' (too long)");
			}
			return super.compareAndSet(key, token, retired, expectedVersion);
		}

	}

	/** A store that counts the leases it refused. */
	private static final class CountingLeases extends ForwardingLongTermTokenStore {

		final AtomicInteger refused = new AtomicInteger();

		CountingLeases(LongTermTokenStore delegate) {
			super(delegate);
		}

		@Override
		public boolean tryLease(String key, String owner, Instant now, Instant until) {
			boolean taken = super.tryLease(key, owner, now, until);
			if (!taken) {
				this.refused.incrementAndGet();
			}
			return taken;
		}

	}

}
