package io.github.c2mspring.auth.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.token.C2MTokenEvent;
import io.github.c2mspring.autoconfigure.C2MClients;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.IssuedToken;
import io.github.c2mspring.emulator.RecordedRequest;
import io.github.c2mspring.emulator.TokenKind;
import io.github.c2mspring.testsupport.Flows;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.c2mspring.auth.store.Fleet.CLIENT_ID;
import static io.github.c2mspring.auth.store.Fleet.KEY;
import static io.github.c2mspring.auth.store.Fleet.ROTATING;
import static io.github.c2mspring.auth.store.Fleet.awaitIdle;
import static io.github.c2mspring.auth.store.Fleet.longTermToken;
import static io.github.c2mspring.auth.store.Fleet.manager;
import static io.github.c2mspring.auth.store.Fleet.tick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A shared long-term token store on a real storage (the JDBC store on H2, PostgreSQL and
 * MariaDB, the Redis store on Redis: one subclass each), with application contexts
 * sharing it as a fleet does, against the emulator, all on one clock the test moves: a
 * fleet started together issues one token, a restart reuses it, a revoked one is replaced
 * once, a rotation under load happens once and every instance ends on the new token, a
 * rotation interrupted at any point loses nothing, and the storage never holds a token in
 * plain text.
 */
abstract class AbstractFleetStoreTests {

	/**
	 * A value sealed by version 0.1.0 of the starter (its key id only bound) under
	 * {@link Fleet#KEY}.
	 */
	private static final String SEALED_BY_0_1_0 = "v1:k1:pUL0IpOcSDCoX5RfSLiB8GDLqir0NFGRmhsGuPpiQY5pP7iHQ6jAiw==";

	/**
	 * Where the fleet keeps its token, created afresh for each test.
	 * @return the storage
	 */
	abstract FleetStorage storage();

	Fleet fleet;

	private final List<AutoCloseable> closeLast = new ArrayList<>();

	@BeforeEach
	void start() {
		this.fleet = new Fleet(storage());
	}

	@AfterEach
	void stop() throws Exception {
		this.fleet.close();
		for (AutoCloseable closeable : this.closeLast) {
			closeable.close();
		}
	}

	@Test
	void threeInstancesStartedTogetherIssueOneTokenAndShareIt() {
		List<ConfigurableApplicationContext> instances = List.of(this.fleet.start(null), this.fleet.start(null),
				this.fleet.start(null));
		CyclicBarrier barrier = new CyclicBarrier(instances.size());
		List<CompletableFuture<String>> ids = new ArrayList<>();
		for (ConfigurableApplicationContext instance : instances) {
			ids.add(CompletableFuture.supplyAsync(() -> {
				try {
					barrier.await();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				instance.getBean(C2MAuthOperations.class).getAccessToken();
				return instance.getBean(C2MAuthOperations.class).getLongTermTokenInfo().tokenId();
			}));
		}
		Set<String> tokenIds = Set.copyOf(ids.stream().map(CompletableFuture::join).toList());
		assertThat(tokenIds).hasSize(1);
		assertThat(this.fleet.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
		assertThat(this.fleet.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
		assertThat(instances.stream()
			.mapToLong((instance) -> manager(instance).diagnostics().statistics().issuances())
			.sum()).isOne();
		assertThat(instances.stream()
			.mapToLong((instance) -> manager(instance).diagnostics().statistics().adoptions())
			.sum()).isEqualTo(2);
	}

	@Test
	void twoAccountsOfOneFleetEachIssueOnceAndKeepAnEntryOfTheirOwn() {
		this.fleet.emulator.clients()
			.register("billing-1")
			.secret("billing-secret")
			.allowedScopes("jobs:submit", "tokens:write", "tokens:revoke");
		String[] billing = { "c2m.clients.billing.client-id=billing-1",
				"c2m.clients.billing.auth.client-secret=billing-secret" };
		List<ConfigurableApplicationContext> instances = List.of(this.fleet.start(null, billing),
				this.fleet.start(null, billing));
		for (ConfigurableApplicationContext instance : instances) {
			instance.getBean(C2MAuthOperations.class).getAccessToken();
			instance.getBean(C2MClients.class).getOperations("billing").getAccessToken();
		}
		assertThat(this.fleet.emulator.issuedTokens()
			.stream()
			.filter((token) -> token.kind() == TokenKind.LONG_TERM)
			.map(IssuedToken::clientId)).containsExactlyInAnyOrder(CLIENT_ID, "billing-1");
		Set<String> defaultValues = Set.copyOf(instances.stream()
			.map((instance) -> instance.getBean(C2MAuthOperations.class).revealLongTermTokenValue())
			.toList());
		Set<String> billingValues = Set.copyOf(instances.stream()
			.map((instance) -> instance.getBean(C2MClients.class).getOperations("billing").revealLongTermTokenValue())
			.toList());
		assertThat(defaultValues).hasSize(1).doesNotContainAnyElementsOf(billingValues);
		assertThat(billingValues).hasSize(1);
		String billingValue = billingValues.iterator().next();
		assertThat(this.fleet.storage.entry(CLIENT_ID)).isNotEmpty()
			.allSatisfy((field, stored) -> assertThat(stored).doesNotContain(billingValue));
		assertThat(this.fleet.storage.entry("billing-1")).isNotEmpty()
			.allSatisfy((field, stored) -> assertThat(stored).doesNotContain(billingValue));
		assertThat(this.fleet.store().load("billing-1")).map((stored) -> stored.token().tokenValue())
			.contains(billingValue);
		assertThat(this.fleet.store().load(CLIENT_ID)).map((stored) -> stored.token().tokenValue())
			.contains(defaultValues.iterator().next());
	}

	@Test
	void restartReusesTheStoredTokenAndTheStorageHoldsNoPlaintext() {
		ConfigurableApplicationContext first = this.fleet.start(null);
		String value = first.getBean(C2MAuthOperations.class).revealLongTermTokenValue();
		first.close();
		ConfigurableApplicationContext restarted = this.fleet.start(null);
		assertThat(restarted.getBean(C2MAuthOperations.class).revealLongTermTokenValue()).isEqualTo(value);
		assertThat(manager(restarted).diagnostics().statistics().issuances()).isZero();
		// an adoption counts once the token has worked
		assertThat(manager(restarted).diagnostics().statistics().adoptions()).isZero();
		restarted.getBean(C2MAuthOperations.class).getAccessToken();
		assertThat(manager(restarted).diagnostics().statistics().adoptions()).isOne();
		assertThat(this.fleet.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
		assertThat(this.fleet.storage.entry(CLIENT_ID))
			.allSatisfy((field, stored) -> assertThat(stored).doesNotContain(value))
			.hasEntrySatisfying("token_value", (stored) -> assertThat(stored).startsWith("v2:k1:"));
	}

	@Test
	void aRevokedStoredTokenIsReplacedOnceAndTheOthersAdoptTheReplacement() {
		ConfigurableApplicationContext one = this.fleet.start(null);
		ConfigurableApplicationContext two = this.fleet.start(null);
		String revoked = one.getBean(C2MAuthOperations.class).getLongTermTokenInfo().tokenId();
		two.getBean(C2MAuthOperations.class).getLongTermTokenInfo();
		this.fleet.emulator.revoke(revoked);
		one.getBean(C2MAuthOperations.class).getShortTermToken(List.of("tokens:revoke"));
		two.getBean(C2MAuthOperations.class).getShortTermToken(List.of("tokens:revoke"));
		String replacementOne = one.getBean(C2MAuthOperations.class).getLongTermTokenInfo().tokenId();
		String replacementTwo = two.getBean(C2MAuthOperations.class).getLongTermTokenInfo().tokenId();
		assertThat(replacementOne).isNotEqualTo(revoked).isEqualTo(replacementTwo);
		assertThat(this.fleet.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(2);
	}

	@Test
	void rotationUnderLoadHappensOnceAndEveryInstanceEndsOnTheNewToken() {
		List<ConfigurableApplicationContext> instances = List.of(this.fleet.start(null, ROTATING),
				this.fleet.start(null, ROTATING), this.fleet.start(null, ROTATING));
		LongTermToken first;
		try (Fleet.Load load = new Fleet.Load(instances, 3)) {
			load.callAndWait(6);
			first = longTermToken(instances.get(0));
			assertThat(instances)
				.allSatisfy((instance) -> assertThat(longTermToken(instance).tokenId()).isEqualTo(first.tokenId()));
			// 75 virtual minutes, a minute at a time: the rotation point is at 60, the
			// grace period ends at 65;
			// each minute, calls on every instance while their background checkers run
			for (int minute = 1; minute <= 75; minute++) {
				this.fleet.clock.advance(Duration.ofMinutes(1));
				CompletableFuture<Void> checks = CompletableFuture.runAsync(() -> tick(instances));
				load.callAndWait(6);
				checks.join();
				awaitIdle(instances);
			}
			assertThat(load.failures).isEmpty();
			assertThat(load.calls()).isEqualTo(3 * 6 * 76);
		}
		assertThat(issuedLongTermTokens("client_secret")).hasSize(1);
		assertThat(issuedLongTermTokens("rotation")).singleElement().satisfies((rotated) -> {
			assertThat(rotated.parentId()).isEqualTo(first.tokenId());
			assertThat(instances)
				.allSatisfy((instance) -> assertThat(longTermToken(instance).tokenId()).isEqualTo(rotated.id()));
			assertThat(this.fleet.stored().token().tokenId()).isEqualTo(rotated.id());
			assertRevokedOnceAfterTheGracePeriod(first.tokenId(), rotated);
		});
		assertThat(instances.stream()
			.mapToLong((instance) -> manager(instance).diagnostics().statistics().rotations())
			.sum()).isOne();
		assertThat(this.fleet.stored().retired()).isNull();
	}

	@Test
	void instancesAsleepThroughTheRotationSwitchOnTheirNextUseOrCheckWithoutAFailedCall() {
		ConfigurableApplicationContext awake = this.fleet.start(null, ROTATING);
		ConfigurableApplicationContext wokenByUse = this.fleet.start(null, ROTATING);
		ConfigurableApplicationContext wokenByCheck = this.fleet.start(null, ROTATING);
		List<ConfigurableApplicationContext> all = List.of(awake, wokenByUse, wokenByCheck);
		String first;
		try (Fleet.Load load = new Fleet.Load(all, 2)) {
			load.callAndWait(2);
			first = longTermToken(awake).tokenId();
			assertThat(load.failures).isEmpty();
		}
		// only one instance makes calls and checks for 75 minutes: it rotates at 60 and
		// revokes the
		// old token at 65, while the two others hold the old token and the short-term
		// tokens from it
		try (Fleet.Load load = new Fleet.Load(List.of(awake), 2)) {
			for (int minute = 1; minute <= 75; minute++) {
				this.fleet.clock.advance(Duration.ofMinutes(1));
				load.callAndWait(2);
				tick(List.of(awake));
				awaitIdle(List.of(awake));
			}
			assertThat(load.failures).isEmpty();
		}
		IssuedToken rotated = issuedLongTermTokens("rotation").get(0);
		assertThat(this.fleet.emulator.isRevoked(first)).isTrue();
		assertThat(longTermToken(wokenByUse).tokenId()).isEqualTo(first);
		assertThat(longTermToken(wokenByCheck).tokenId()).isEqualTo(first);
		long adoptedByUse = manager(wokenByUse).diagnostics().statistics().adoptions();
		long adoptedByCheck = manager(wokenByCheck).diagnostics().statistics().adoptions();
		// one wakes up to calls, the other to its background check
		try (Fleet.Load load = new Fleet.Load(List.of(wokenByUse), 2)) {
			load.callAndWait(4);
			assertThat(load.failures).isEmpty();
		}
		tick(List.of(wokenByCheck));
		awaitIdle(all);
		assertThat(all).allSatisfy((instance) -> assertThat(longTermToken(instance).tokenId()).isEqualTo(rotated.id()));
		assertThat(issuedLongTermTokens("rotation")).singleElement().isEqualTo(rotated);
		assertThat(issuedLongTermTokens("client_secret")).hasSize(1);
		assertThat(manager(wokenByUse).diagnostics().statistics().adoptions()).isEqualTo(adoptedByUse + 1);
		assertThat(manager(wokenByCheck).diagnostics().statistics().adoptions()).isEqualTo(adoptedByCheck + 1);
		assertThat(all.stream().mapToLong((instance) -> manager(instance).diagnostics().statistics().issuances()).sum())
			.isOne();
		assertThat(List.of(wokenByUse, wokenByCheck))
			.allSatisfy((instance) -> assertThat(manager(instance).diagnostics().statistics().rotations()).isZero());
		assertRevokedOnceAfterTheGracePeriod(first, rotated);
	}

	@ParameterizedTest
	@EnumSource(CrashingStore.Point.class)
	void rotationInterruptedByACrashLosesNoTokenAndTheFleetConverges(CrashingStore.Point point) throws Exception {
		CrashingStore crashing = new CrashingStore(this.fleet.store(), point);
		this.closeLast.add(crashing);
		ConfigurableApplicationContext doomed = this.fleet.start(crashing, ROTATING);
		List<ConfigurableApplicationContext> survivors = List.of(this.fleet.start(null, ROTATING),
				this.fleet.start(null, ROTATING));
		Flows.submitThroughBothClients(doomed);
		survivors.forEach(Flows::submitThroughBothClients);
		String first = longTermToken(doomed).tokenId();
		// at the rotation point the doomed instance takes the lease, rotates, and dies at
		// the crash point
		this.fleet.clock.advance(Duration.ofMinutes(60));
		manager(doomed).checkLongTermToken().subscribe();
		assertThat(crashing.crashed.await(30, TimeUnit.SECONDS)).isTrue();
		doomed.close();
		// the survivors carry on, minute by minute, under calls and background checks
		for (int minute = 0; minute <= 12; minute++) {
			survivors.forEach(Flows::submitThroughBothClients);
			tick(survivors);
			awaitIdle(survivors);
			this.fleet.clock.advance(Duration.ofMinutes(1));
		}
		StoredToken stored = this.fleet.stored();
		IssuedToken current = issuedLongTermTokens("rotation").stream()
			.filter((token) -> token.id().equals(stored.token().tokenId()))
			.findFirst()
			.orElseThrow();
		assertThat(current.parentId()).isEqualTo(first);
		assertThat(current.revoked()).isFalse();
		assertThat(survivors)
			.allSatisfy((instance) -> assertThat(longTermToken(instance).tokenId()).isEqualTo(current.id()));
		assertThat(stored.retired()).isNull();
		assertThat(issuedLongTermTokens("client_secret")).hasSize(1);
		if (point == CrashingStore.Point.BEFORE_STORING_THE_NEW_TOKEN) {
			// the dead instance's new token never reached the store: the next instance
			// rotated again, once
			assertThat(issuedLongTermTokens("rotation")).hasSize(2);
			assertThat(survivors.stream()
				.mapToLong((instance) -> manager(instance).diagnostics().statistics().rotations())
				.sum()).isOne();
		}
		else {
			// the dead instance's new token was stored: the survivors adopted it and
			// revoked the old one
			assertThat(issuedLongTermTokens("rotation")).hasSize(1);
			assertThat(survivors).allSatisfy(
					(instance) -> assertThat(manager(instance).diagnostics().statistics().rotations()).isZero());
		}
		assertRevokedOnceAfterTheGracePeriod(first, current);
		ConfigurableApplicationContext restarted = this.fleet.start(null, ROTATING);
		Flows.submitThroughBothClients(restarted);
		assertThat(longTermToken(restarted).tokenId()).isEqualTo(current.id());
		assertThat(manager(restarted).diagnostics().statistics().issuances()).isZero();
	}

	@Test
	void storeIsCompareAndSet() {
		LongTermTokenStore store = this.fleet.store();
		LongTermToken a = new LongTermToken("value-a", "tok_a", Set.of("jobs:submit"),
				Instant.parse("2099-01-01T00:00:00Z"), Instant.parse("2099-03-01T00:00:00Z"));
		LongTermToken b = new LongTermToken("value-b", "tok_b", Set.of(), null, null);
		RetiredToken retiredA = new RetiredToken("tok_a", Instant.parse("2099-01-02T00:00:00Z"));
		assertThat(store.compareAndSet("c", a, null, 0)).isTrue();
		assertThat(store.compareAndSet("c", b, null, 0)).isFalse();
		assertThat(store.load("c")).hasValueSatisfying((stored) -> {
			assertThat(stored.version()).isEqualTo(1);
			assertThat(stored.token()).isEqualTo(a);
			assertThat(stored.retired()).isNull();
		});
		assertThat(store.compareAndSet("c", b, retiredA, 1)).isTrue();
		assertThat(store.load("c")).hasValueSatisfying((stored) -> {
			assertThat(stored.token().tokenValue()).isEqualTo("value-b");
			assertThat(stored.retired()).isEqualTo(retiredA);
			assertThat(stored.version()).isEqualTo(2);
		});
		Instant now = Instant.now();
		assertThat(store.tryLease("c", "x", now, now.plusSeconds(30))).isTrue();
		assertThat(store.tryLease("c", "y", now, now.plusSeconds(30))).isFalse();
		assertThat(store.tryLease("c", "y", now.plusSeconds(31), now.plusSeconds(60))).isTrue();
		store.releaseLease("c", "x");
		assertThat(store.tryLease("c", "z", now, now.plusSeconds(30))).isFalse();
		store.releaseLease("c", "y");
		assertThat(store.tryLease("c", "z", now, now.plusSeconds(30))).isTrue();
		assertThat(store.tryLease("new-key", "x", now, now.plusSeconds(30))).isTrue();
		assertThat(store.load("new-key")).isEmpty();
		assertThat(store.compareAndSet("new-key", a, null, 0)).isTrue();
	}

	@Test
	void cipherSealsRotatesKeysAndRefusesTampering() {
		String oldKey = Base64.getEncoder().encodeToString(new byte[32]);
		TokenCipher old = TokenCipher.aesGcm(Map.of("k0", oldKey));
		String sealedByOld = old.encrypt("secret-token", "row-1", "tok_1");
		assertThat(sealedByOld).startsWith("v2:k0:").doesNotContain("secret-token");
		assertThat(old.encrypt("secret-token", "row-1", "tok_1")).isNotEqualTo(sealedByOld);
		Map<String, String> rotated = new java.util.LinkedHashMap<>();
		rotated.put("k1", KEY);
		rotated.put("k0", oldKey);
		TokenCipher current = TokenCipher.aesGcm(rotated);
		assertThat(current.decrypt(sealedByOld, "row-1", "tok_1")).isEqualTo("secret-token");
		assertThat(current.isCurrent(sealedByOld)).isFalse();
		assertThat(current.encrypt("x")).startsWith("v2:k1:");
		assertThat(current.isCurrent(current.encrypt("x"))).isTrue();
		String tampered = sealedByOld.substring(0, sealedByOld.length() - 4) + "AAAA";
		assertThatIllegalStateException().isThrownBy(() -> current.decrypt(tampered, "row-1", "tok_1"))
			.withMessageContaining("tampered");
		// bound to what it was sealed with: another row, another token id, a value more
		// or less, a null
		assertThatIllegalStateException().isThrownBy(() -> current.decrypt(sealedByOld, "row-2", "tok_1"))
			.withMessageContaining("tampered");
		assertThatIllegalStateException().isThrownBy(() -> current.decrypt(sealedByOld, "row-1", "tok_2"));
		assertThatIllegalStateException().isThrownBy(() -> current.decrypt(sealedByOld, "row-1"));
		assertThatIllegalStateException().isThrownBy(() -> current.decrypt(sealedByOld, "row-1", "tok_1", null));
		assertThatIllegalStateException().isThrownBy(() -> current.decrypt(sealedByOld, "row-1tok_1"));
		assertThatIllegalStateException()
			.isThrownBy(() -> TokenCipher.aesGcm(Map.of("k1", KEY)).decrypt(sealedByOld, "row-1", "tok_1"))
			.withMessageContaining("'k0'");
		assertThatIllegalStateException().isThrownBy(() -> current.decrypt("plain:abc"))
			.withMessageContaining("plain text");
		assertThatIllegalArgumentException().isThrownBy(() -> TokenCipher.aesGcm(Map.of("k1", "c2hvcnQ=")))
			.withMessageContaining("32 bytes");
		// sealed before values were bound to their row: still read, whatever it is bound
		// to, and not current
		assertThat(current.decrypt(SEALED_BY_0_1_0, "row-1", "tok_1")).isEqualTo("value-legacy");
		assertThat(current.isCurrent(SEALED_BY_0_1_0)).isFalse();
	}

	@Test
	void aSealedValueMovedToAnotherRowOrAChangedColumnOfItsRowIsRefusedNamingTheRow() {
		LongTermTokenStore store = this.fleet.store();
		LongTermToken a = new LongTermToken("value-a", "tok_a", Set.of("jobs:submit", "tokens:revoke"),
				Instant.parse("2099-01-01T00:00:00Z"), Instant.parse("2099-03-01T00:00:00Z"));
		LongTermToken b = new LongTermToken("value-b", "tok_b", Set.of("jobs:submit"),
				Instant.parse("2099-01-02T00:00:00Z"), Instant.parse("2099-03-02T00:00:00Z"));
		assertThat(store.compareAndSet("row-a", a, new RetiredToken("tok_0", Instant.parse("2099-01-01T00:05:00Z")), 0))
			.isTrue();
		assertThat(store.compareAndSet("row-b", b, null, 0)).isTrue();
		FleetStorage storage = this.fleet.storage;
		Map<String, String> rowA = new java.util.LinkedHashMap<>(storage.entry("row-a"));
		rowA.keySet()
			.retainAll(List.of("token_id", "token_value", "scopes", "issued_at_ms", "expires_at_ms", "retired_token_id",
					"retired_revoke_at_ms"));
		String sealedA = rowA.get("token_value");
		// the whole of row a copied into row b: the value is bound to row a
		storage.update("row-b", rowA);
		assertRefused(store, "row-b", sealedA);
		// one column of row a changed at a time, then put back
		Map<String, Object> changes = new java.util.LinkedHashMap<>();
		changes.put("token_id", "tok_b");
		changes.put("scopes", "jobs:submit tokens:write tokens:revoke");
		changes.put("issued_at_ms", Instant.parse("2099-01-03T00:00:00Z").toEpochMilli());
		changes.put("expires_at_ms", Instant.parse("2100-03-01T00:00:00Z").toEpochMilli());
		changes.put("retired_token_id", "tok_a");
		changes.put("retired_revoke_at_ms", 0L);
		changes.forEach((column, value) -> {
			storage.update("row-a", Map.of(column, value));
			assertRefused(store, "row-a", sealedA);
			storage.update("row-a", Map.of(column, rowA.get(column)));
		});
		Map<String, Object> noRetired = new java.util.HashMap<>();
		noRetired.put("retired_token_id", null);
		noRetired.put("retired_revoke_at_ms", null);
		storage.update("row-a", noRetired);
		assertRefused(store, "row-a", sealedA);
		storage.update("row-a", Map.of("retired_token_id", rowA.get("retired_token_id"), "retired_revoke_at_ms",
				rowA.get("retired_revoke_at_ms")));
		assertThat(store.load("row-a")).hasValueSatisfying((stored) -> assertThat(stored.token()).isEqualTo(a));
		// the next write seals the row's own values again
		assertThat(store.compareAndSet("row-b", b, null, 1)).isTrue();
		assertThat(store.load("row-b")).hasValueSatisfying((stored) -> assertThat(stored.token()).isEqualTo(b));
	}

	@Test
	void aRetiredTokenIdPointedAtTheLiveTokenIsRefusedAndTheLiveTokenNeverRevoked() {
		ConfigurableApplicationContext instance = this.fleet.start(null);
		Flows.submitThroughBothClients(instance);
		String live = longTermToken(instance).tokenId();
		this.fleet.storage.update(CLIENT_ID, Map.of("retired_token_id", live, "retired_revoke_at_ms", 0L));
		List<C2MTokenEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
		instance.addApplicationListener((ApplicationEvent event) -> {
			if (event instanceof C2MTokenEvent tokenEvent) {
				events.add(tokenEvent);
			}
		});
		// the background check finds a retired token due: the live one
		this.fleet.clock.advance(Duration.ofMinutes(1));
		manager(instance).checkLongTermToken().block(Duration.ofSeconds(30));
		// events are delivered in order off the caller's thread: wait for the failure to
		// arrive
		Throwable refused = Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> events.stream()
				.filter((event) -> event.getType() == C2MTokenEvent.Type.FAILURE)
				.findFirst()
				.map(C2MTokenEvent::getException)
				.orElse(null), Objects::nonNull);
		// an instance started now finds no token it can use, and does not issue one over
		// the row
		ConfigurableApplicationContext restarted = this.fleet.start(null);
		Throwable refusedAtStart = catchThrowable(
				() -> restarted.getBean(C2MAuthOperations.class).getLongTermTokenInfo());
		assertThat(this.fleet.emulator.requestCount(Endpoint.REVOKE)).isZero();
		assertThat(this.fleet.emulator.isRevoked(live)).isFalse();
		assertThat(List.of(refused, refusedAtStart)).allSatisfy((failure) -> assertThat(failure).isNotNull()
			.hasMessageContaining("key " + CLIENT_ID)
			.hasMessageContaining("tampered"));
		assertThat(this.fleet.emulator.issuedCount(TokenKind.LONG_TERM)).isOne();
		// the instance that holds the token carries on with it
		Flows.submitThroughBothClients(instance);
		assertThat(longTermToken(instance).tokenId()).isEqualTo(live);
	}

	@Test
	void aRetiredTokenIdBesideAValueSealedBeforeValuesWereBoundIsNotTrusted() {
		// a database writer replays a value sealed by 0.1.0 (from a backup) and points
		// the retired
		// token id at the live token: the value opens, but nothing binds the retired
		// columns to it
		LongTermTokenStore store = this.fleet.store();
		LongTermToken token = new LongTermToken("value-legacy", "tok_l", Set.of("jobs:submit"),
				Instant.parse("2099-01-01T00:00:00Z"), Instant.parse("2099-03-01T00:00:00Z"));
		assertThat(store.compareAndSet(CLIENT_ID, token, null, 0)).isTrue();
		FleetStorage storage = this.fleet.storage;
		storage.update(CLIENT_ID,
				Map.of("token_value", SEALED_BY_0_1_0, "retired_token_id", "tok_l", "retired_revoke_at_ms", 0L));
		assertThat(store.load(CLIENT_ID)).hasValueSatisfying((stored) -> {
			assertThat(stored.token()).isEqualTo(token);
			assertThat(stored.retired()).isNull();
		});
		// sealed again bound to its row, with the untrusted columns cleared
		assertThat(storage.entry(CLIENT_ID).get("token_value")).startsWith("v2:k1:");
		assertThat(storage.entry(CLIENT_ID)).doesNotContainKey("retired_token_id");
		assertThat(store.load(CLIENT_ID)).hasValueSatisfying((stored) -> assertThat(stored.retired()).isNull());
	}

	@Test
	void aValueSealedBeforeValuesWereBoundToTheirRowIsReadAndSealedAgainBoundToIt() {
		LongTermTokenStore store = this.fleet.store();
		LongTermToken token = new LongTermToken("value-legacy", "tok_l", Set.of("jobs:submit"),
				Instant.parse("2099-01-01T00:00:00Z"), Instant.parse("2099-03-01T00:00:00Z"));
		assertThat(store.compareAndSet(CLIENT_ID, token, null, 0)).isTrue();
		FleetStorage storage = this.fleet.storage;
		storage.update(CLIENT_ID, Map.of("token_value", SEALED_BY_0_1_0));
		assertThat(store.load(CLIENT_ID)).hasValueSatisfying((stored) -> {
			assertThat(stored.token()).isEqualTo(token);
			assertThat(stored.version()).isOne();
		});
		String resealed = storage.entry(CLIENT_ID).get("token_value");
		assertThat(resealed).startsWith("v2:k1:");
		// sealed under a new key at its first read once the key is rotated
		Map<String, String> keys = new java.util.LinkedHashMap<>();
		keys.put("k2", Base64.getEncoder().encodeToString(new byte[32]));
		keys.put("k1", KEY);
		LongTermTokenStore rotated = new EncryptingLongTermTokenStore(storage.store(), TokenCipher.aesGcm(keys));
		assertThat(rotated.load(CLIENT_ID)).hasValueSatisfying((stored) -> assertThat(stored.token()).isEqualTo(token));
		assertThat(storage.entry(CLIENT_ID).get("token_value")).startsWith("v2:k2:");
		// bound to its row from now on
		storage.update(CLIENT_ID, Map.of("token_id", "tok_x"));
		assertRefused(rotated, CLIENT_ID, resealed);
	}

	private static void assertRefused(LongTermTokenStore store, String key, String sealed) {
		assertThatIllegalStateException().isThrownBy(() -> store.load(key)).satisfies((ex) -> {
			assertThat(ex.getMessage()).contains("key " + key, "tampered")
				.doesNotContain("value-a", "value-b", "value-legacy", sealed);
		});
	}

	private List<IssuedToken> issuedLongTermTokens(String mechanism) {
		return this.fleet.emulator.issuedTokens()
			.stream()
			.filter((token) -> token.kind() == TokenKind.LONG_TERM && token.mechanism().equals(mechanism))
			.toList();
	}

	/**
	 * The old token was revoked once for the whole fleet, and not before the grace period
	 * (5 minutes) after the token that replaced it was issued.
	 */
	private void assertRevokedOnceAfterTheGracePeriod(String oldTokenId, IssuedToken replacement) {
		List<RecordedRequest> revocations = this.fleet.emulator.requests()
			.stream()
			.filter((request) -> request.endpoint() == Endpoint.REVOKE && request.path().contains(oldTokenId))
			.toList();
		assertThat(revocations).singleElement().satisfies((revocation) -> {
			assertThat(revocation.status()).isEqualTo(204);
			assertThat(revocation.receivedAt()).isAfterOrEqualTo(replacement.issuedAt().plus(Duration.ofMinutes(5)))
				.isBefore(replacement.issuedAt().plus(Duration.ofMinutes(8)));
		});
		assertThat(this.fleet.emulator.isRevoked(oldTokenId)).isTrue();
	}

}
