package io.github.c2mspring.auth.store.redis;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisLongTermTokenStore} on a real Redis server: the entry round-trips, writes
 * are compare-and-set on the version (one winner among concurrent writers), a rewrite
 * keeps the version, the lease has one holder at a time on the fleet's clock and a Redis
 * expiry, and the entry expires after its token plus the retention.
 */
@EnabledIfRedisUrl
class RedisLongTermTokenStoreTests {

	private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	private final String prefix = "c2m-test:" + UUID.randomUUID() + ":";

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	private RedisLongTermTokenStore store;

	@BeforeEach
	void connect() {
		URI url = URI.create(System.getenv(EnabledIfRedisUrl.URL_VARIABLE));
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(url.getHost(), url.getPort()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis = new StringRedisTemplate(this.connectionFactory);
		this.store = new RedisLongTermTokenStore(this.connectionFactory, this.prefix, Duration.ofMinutes(5));
	}

	@AfterEach
	void disconnect() {
		Set<String> keys = this.redis.keys(this.prefix + "*");
		if (keys != null && !keys.isEmpty()) {
			this.redis.delete(keys);
		}
		this.connectionFactory.destroy();
	}

	@Test
	void anEntryRoundTripsWithEveryField() {
		assertThat(this.store.load("client-1")).isEmpty();
		LongTermToken token = token("value-1", "id-1", NOW.plus(Duration.ofDays(30)));
		RetiredToken retired = new RetiredToken("id-0", NOW.plus(Duration.ofMinutes(5)));
		assertThat(this.store.compareAndSet("client-1", token, retired, 0)).isTrue();
		StoredToken stored = this.store.load("client-1").orElseThrow();
		assertThat(stored.version()).isEqualTo(1);
		assertThat(stored.token()).isEqualTo(token);
		assertThat(List.copyOf(stored.token().scopes())).containsExactly("tokens:write", "jobs:submit");
		assertThat(stored.retired()).isEqualTo(retired);
		assertThat(this.store.load("client-2")).isEmpty();
	}

	@Test
	void aTokenWithoutIdOrTimesAndAWriteWithoutRetiredTokenLeaveNoStaleField() {
		this.store.compareAndSet("client-1", token("value-1", "id-1", NOW.plus(Duration.ofDays(30))),
				new RetiredToken("id-0", NOW), 0);
		LongTermToken bare = new LongTermToken("value-2", null, Set.of(), null, null);
		assertThat(this.store.compareAndSet("client-1", bare, null, 1)).isTrue();
		StoredToken stored = this.store.load("client-1").orElseThrow();
		assertThat(stored.token()).isEqualTo(bare);
		assertThat(stored.retired()).isNull();
		assertThat(stored.version()).isEqualTo(2);
		assertThat(this.redis.<String, String>opsForHash().keys(this.store.entryKey("client-1")))
			.containsExactlyInAnyOrder("version", "token_value", "scopes");
	}

	@Test
	void aWriteFromAStaleVersionIsRefusedAndChangesNothing() {
		LongTermToken first = token("value-1", "id-1", NOW.plus(Duration.ofDays(30)));
		assertThat(this.store.compareAndSet("client-1", first, null, 0)).isTrue();
		assertThat(this.store.compareAndSet("client-1", token("value-x", "id-x", NOW), null, 0)).isFalse();
		assertThat(this.store.compareAndSet("client-1", token("value-y", "id-y", NOW), null, 2)).isFalse();
		assertThat(this.store.load("client-1").orElseThrow()).isEqualTo(new StoredToken(first, null, 1));
	}

	@Test
	void ofConcurrentWritersFromOneVersionExactlyOneWins() throws Exception {
		int writers = 8;
		CyclicBarrier barrier = new CyclicBarrier(writers);
		List<CompletableFuture<Boolean>> results = new ArrayList<>();
		for (int writer = 0; writer < writers; writer++) {
			LongTermToken token = token("value-" + writer, "id-" + writer, NOW.plus(Duration.ofDays(30)));
			results.add(CompletableFuture.supplyAsync(() -> {
				awaitAll(barrier);
				return this.store.compareAndSet("client-1", token, null, 0);
			}));
		}
		List<Boolean> outcomes = new ArrayList<>();
		for (CompletableFuture<Boolean> result : results) {
			outcomes.add(result.get(10, TimeUnit.SECONDS));
		}
		assertThat(outcomes).containsOnlyOnce(true);
		StoredToken stored = this.store.load("client-1").orElseThrow();
		assertThat(stored.version()).isEqualTo(1);
		assertThat(stored.token().tokenValue()).isEqualTo("value-" + outcomes.indexOf(true));
	}

	@Test
	void aRewriteKeepsTheVersionAndNeedsTheEntryAsLoaded() {
		LongTermToken token = token("sealed-old", "id-1", NOW.plus(Duration.ofDays(30)));
		this.store.compareAndSet("client-1", token, new RetiredToken("id-0", NOW), 0);
		StoredToken loaded = this.store.load("client-1").orElseThrow();
		LongTermToken resealed = new LongTermToken("sealed-new", "id-1", token.scopes(), token.issuedAt(),
				token.expiresAt());
		StoredToken stale = new StoredToken(token("other", "id-1", NOW), null, 1);
		assertThat(this.store.rewrite("client-1", stale, resealed, null)).isFalse();
		assertThat(this.store.rewrite("client-1", loaded, resealed, null)).isTrue();
		assertThat(this.store.load("client-1").orElseThrow()).isEqualTo(new StoredToken(resealed, null, 1));
		assertThat(this.store.rewrite("client-1", loaded, resealed, null)).isFalse();
	}

	@Test
	void theLeaseHasOneHolderAtATimeOnTheFleetsClock() {
		Instant until = NOW.plus(Duration.ofMinutes(1));
		assertThat(this.store.tryLease("client-1", "a#1", NOW, until)).isTrue();
		assertThat(this.store.tryLease("client-1", "b#1", NOW.plusSeconds(59), until.plusSeconds(59))).isFalse();
		// its holder takes it again, longer
		assertThat(this.store.tryLease("client-1", "a#1", NOW.plusSeconds(10), until.plusSeconds(10))).isTrue();
		// a release by another owner does nothing
		this.store.releaseLease("client-1", "b#1");
		assertThat(this.store.tryLease("client-1", "b#1", NOW.plusSeconds(20), until.plusSeconds(20))).isFalse();
		// run out by the fleet's clock: another instance takes it
		assertThat(this.store.tryLease("client-1", "b#1", until.plusSeconds(10), until.plusSeconds(70))).isTrue();
		assertThat(this.store.tryLease("client-1", "a#1", until.plusSeconds(11), until.plusSeconds(71))).isFalse();
		this.store.releaseLease("client-1", "b#1");
		assertThat(this.store.tryLease("client-1", "a#1", until.plusSeconds(12), until.plusSeconds(72))).isTrue();
		// the lease does not touch the entry
		assertThat(this.store.load("client-1")).isEmpty();
	}

	@Test
	void aLeaseNobodyGivesBackDisappearsFromRedisByItself() {
		assertThat(this.store.tryLease("client-1", "a#1", NOW, NOW.plus(Duration.ofMinutes(1)))).isTrue();
		Long ttl = this.redis.getExpire(this.store.leaseKey("client-1"), TimeUnit.MILLISECONDS);
		assertThat(ttl).isBetween(1L, 60_000L);
		assertThat(this.store.tryLease("client-2", "a#1", NOW, NOW.plusMillis(200))).isTrue();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> !Boolean.TRUE.equals(this.redis.hasKey(this.store.leaseKey("client-2"))));
	}

	@Test
	void theEntryExpiresAfterItsTokenAndTheRetiredTokensRevocationPlusTheRetention() {
		Instant expiresAt = NOW.plus(Duration.ofDays(30));
		this.store.compareAndSet("client-1", token("value-1", "id-1", expiresAt), null, 0);
		assertThat(this.redis.getExpire(this.store.entryKey("client-1"), TimeUnit.MILLISECONDS)).isCloseTo(
				Duration.between(Instant.now(), expiresAt.plus(Duration.ofMinutes(5))).toMillis(), within(60_000L));
		// a token of unknown expiry is kept
		this.store.compareAndSet("client-1", new LongTermToken("value-2", "id-2", Set.of(), null, null), null, 1);
		assertThat(this.redis.getExpire(this.store.entryKey("client-1"))).isEqualTo(-1);
	}

	@Test
	void bothKeysOfAClientShareItsHashTagUnderThePrefix() {
		assertThat(this.store.entryKey("client-1")).isEqualTo(this.prefix + "{client-1}");
		assertThat(this.store.leaseKey("client-1")).isEqualTo(this.prefix + "{client-1}:lease");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RedisLongTermTokenStore(this.connectionFactory, "c2m:{x}:", Duration.ZERO))
			.withMessageContaining("keyPrefix");
		assertThat(this.store.toString()).contains(this.prefix).doesNotContain("value");
	}

	@Test
	void anEntryLostWithRedisIsWrittenAgainFromVersionZero() {
		this.store.compareAndSet("client-1", token("value-1", "id-1", NOW.plus(Duration.ofDays(30))), null, 0);
		this.redis.delete(this.store.entryKey("client-1"));
		assertThat(this.store.load("client-1")).isEmpty();
		assertThat(
				this.store.compareAndSet("client-1", token("value-1", "id-1", NOW.plus(Duration.ofDays(30))), null, 0))
			.isTrue();
		assertThat(this.store.load("client-1").orElseThrow().version()).isEqualTo(1);
		Map<String, String> raw = this.redis.<String, String>opsForHash().entries(this.store.entryKey("client-1"));
		assertThat(raw).containsEntry("token_value", "value-1").containsEntry("version", "1");
	}

	private static LongTermToken token(String value, String id, Instant expiresAt) {
		return new LongTermToken(value, id, new LinkedHashSet<>(List.of("tokens:write", "jobs:submit")), NOW,
				expiresAt);
	}

	private static void awaitAll(CyclicBarrier barrier) {
		try {
			barrier.await(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
