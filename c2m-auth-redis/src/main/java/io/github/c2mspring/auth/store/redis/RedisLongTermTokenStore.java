package io.github.c2mspring.auth.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.HashOperations;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * A {@link LongTermTokenStore} on Redis, through Spring Data Redis on any
 * {@link RedisConnectionFactory} (Lettuce standalone, Sentinel or Cluster, as Spring Boot
 * configures it). The same semantics as the JDBC store:
 * <ul>
 * <li>one hash per client, {@code <prefix>{<client id>}}, with the token, the token a
 * rotation retired and its revoke time, and a version that every write raises;</li>
 * <li>{@link #compareAndSet} and {@link #rewrite} compare the version (and the value) and
 * write in one Lua script, so atomically in Redis;</li>
 * <li>the lease, {@code <prefix>{<client id>}:lease}, holds its owner and the time it
 * runs out on the fleet's clock, taken and given back by Lua scripts, and carries a Redis
 * expiry ({@code PX}) of the same length, so that a lease nobody gives back disappears by
 * itself;</li>
 * <li>the entry expires in Redis once its token has expired and the retired token's
 * revoke time has passed, plus a retention period, so that an abandoned token does not
 * outlive them.</li>
 * </ul>
 * Both keys of a client share the hash tag {@code {<client id>}}, so they live on one
 * slot of a cluster. The store keeps what it is given: wrap it in
 * {@link io.github.c2mspring.auth.store.EncryptingLongTermTokenStore} to seal the values.
 * Its calls block on the network ({@link #isBlocking()}): the token manager runs them on
 * its store scheduler, bounded by its store timeout.
 */
public final class RedisLongTermTokenStore implements LongTermTokenStore {

	/** The default prefix of the keys. */
	public static final String DEFAULT_KEY_PREFIX = "c2m:long-term-token:";

	/** The default time an expired entry is kept. */
	public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(5);

	private static final RedisScript<Long> COMPARE_AND_SET = script("compare-and-set");

	private static final RedisScript<Long> REWRITE = script("rewrite");

	private static final RedisScript<Long> TRY_LEASE = script("try-lease");

	private static final RedisScript<Long> RELEASE_LEASE = script("release-lease");

	private final StringRedisTemplate redis;

	private final HashOperations<String, String, String> hashes;

	private final String keyPrefix;

	private final Duration retention;

	/**
	 * Create a store with the default key prefix and retention.
	 * @param connectionFactory the connection factory
	 */
	public RedisLongTermTokenStore(RedisConnectionFactory connectionFactory) {
		this(connectionFactory, DEFAULT_KEY_PREFIX, DEFAULT_RETENTION);
	}

	/**
	 * Create a store.
	 * @param connectionFactory the connection factory
	 * @param keyPrefix the prefix of the keys, such as {@value #DEFAULT_KEY_PREFIX}
	 * @param retention how long an entry is kept after its token expired (and the retired
	 * token's revoke time passed): at least the rotation's grace period
	 */
	public RedisLongTermTokenStore(RedisConnectionFactory connectionFactory, String keyPrefix, Duration retention) {
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.hasText(keyPrefix, "keyPrefix must not be empty");
		Assert.isTrue(!keyPrefix.contains("{") && !keyPrefix.contains("}"),
				"keyPrefix must not contain '{' or '}' (the store puts the client id in the hash tag)");
		Assert.isTrue(retention != null && !retention.isNegative(), "retention must not be negative");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.hashes = this.redis.opsForHash();
		this.keyPrefix = keyPrefix;
		this.retention = retention;
	}

	@Override
	public Optional<StoredToken> load(String key) {
		Map<String, String> entry = this.hashes.entries(entryKey(key));
		return RedisTokenEntries.read(entry);
	}

	@Override
	public boolean compareAndSet(String key, LongTermToken token, @Nullable RetiredToken retired,
			long expectedVersion) {
		List<String> arguments = new ArrayList<>(18);
		arguments.add(Long.toString(expectedVersion));
		arguments.add(Long.toString(RedisTokenEntries.dropAt(token, retired, this.retention)));
		arguments.addAll(RedisTokenEntries.fields(token, retired));
		return run(COMPARE_AND_SET, entryKey(key), arguments);
	}

	@Override
	public boolean rewrite(String key, StoredToken expected, LongTermToken token, @Nullable RetiredToken retired) {
		String revokeAt = (retired != null) ? RedisTokenEntries.millis(retired.revokeAt()) : null;
		return run(REWRITE, entryKey(key), List.of(Long.toString(expected.version()), expected.token().tokenValue(),
				token.tokenValue(), (retired != null) ? retired.tokenId() : "", (revokeAt != null) ? revokeAt : ""));
	}

	@Override
	public boolean tryLease(String key, String owner, Instant now, Instant until) {
		Assert.hasText(owner, "owner must not be empty");
		return run(TRY_LEASE, leaseKey(key),
				List.of(owner, Long.toString(now.toEpochMilli()), Long.toString(until.toEpochMilli())));
	}

	@Override
	public void releaseLease(String key, String owner) {
		run(RELEASE_LEASE, leaseKey(key), List.of(owner));
	}

	/**
	 * The key of a client's entry.
	 * @param key the client id
	 * @return the Redis key
	 */
	String entryKey(String key) {
		Assert.hasText(key, "key must not be empty");
		return this.keyPrefix + "{" + key + "}";
	}

	/**
	 * The key of a client's lease.
	 * @param key the client id
	 * @return the Redis key
	 */
	String leaseKey(String key) {
		return entryKey(key) + ":lease";
	}

	private boolean run(RedisScript<Long> script, String key, List<String> arguments) {
		Long result = this.redis.execute(script, List.of(key), arguments.toArray());
		return result != null && result == 1L;
	}

	private static RedisScript<Long> script(String name) {
		return RedisScript.of(new ClassPathResource(name + ".lua", RedisLongTermTokenStore.class), Long.class);
	}

	@Override
	public String toString() {
		return "RedisLongTermTokenStore[keyPrefix=" + this.keyPrefix + ", retention=" + this.retention + "]";
	}

}
