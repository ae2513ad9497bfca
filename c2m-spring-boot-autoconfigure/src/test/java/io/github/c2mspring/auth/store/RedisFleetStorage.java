package io.github.c2mspring.auth.store;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.auth.store.redis.RedisLongTermTokenStore;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A fleet's keys on a Redis server, under a prefix of their own. Each instance connects
 * as Spring Boot configures it, from {@code spring.data.redis.url} (its own Lettuce
 * {@code RedisConnectionFactory}).
 */
final class RedisFleetStorage implements FleetStorage {

	private final URI url;

	private final URI instanceUrl;

	private final String prefix = "c2m-fleet-test:" + UUID.randomUUID() + ":";

	private final LettuceConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	RedisFleetStorage(String url) {
		this(url, url);
	}

	/**
	 * Keys on a Redis server that the instances reach another way (through a proxy).
	 * @param url the server, for the test's own look at the keys
	 * @param instanceUrl where the instances connect
	 */
	RedisFleetStorage(String url, String instanceUrl) {
		this.url = URI.create(url);
		this.instanceUrl = URI.create(instanceUrl);
		this.connectionFactory = connectionFactory(this.url);
		this.redis = new StringRedisTemplate(this.connectionFactory);
	}

	private static LettuceConnectionFactory connectionFactory(URI url) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(url.getHost(), url.getPort()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	@Override
	public List<String> properties() {
		return List.of("spring.data.redis.url=" + this.instanceUrl, "c2m.auth.store.type=redis",
				"c2m.auth.store.redis-key-prefix=" + this.prefix);
	}

	@Override
	public LongTermTokenStore store() {
		return new RedisLongTermTokenStore(this.connectionFactory, this.prefix, Duration.ofMinutes(5));
	}

	@Override
	public Map<String, String> entry(String key) {
		return this.redis.<String, String>opsForHash().entries(this.prefix + "{" + key + "}");
	}

	@Override
	public void update(String key, Map<String, ?> fields) {
		String entry = this.prefix + "{" + key + "}";
		fields.forEach((field, value) -> {
			if (value != null) {
				this.redis.opsForHash().put(entry, field, String.valueOf(value));
			}
			else {
				this.redis.opsForHash().delete(entry, field);
			}
		});
	}

	/**
	 * A copy of a key's entry, as Redis serializes it.
	 * @param key the key
	 * @return the copy
	 */
	byte[] dump(String key) {
		byte[] dump = this.redis.dump(this.prefix + "{" + key + "}");
		if (dump == null) {
			throw new IllegalStateException("no entry for " + key);
		}
		return dump;
	}

	/**
	 * Put back an earlier copy of a key's entry, as a replica that missed the writes
	 * since then holds it.
	 * @param key the key
	 * @param dump the copy
	 */
	void restore(String key, byte[] dump) {
		this.redis.restore(this.prefix + "{" + key + "}", dump, 0, TimeUnit.MILLISECONDS, true);
	}

	@Override
	public void close() {
		Set<String> keys = this.redis.keys(this.prefix + "*");
		if (keys != null && !keys.isEmpty()) {
			this.redis.delete(keys);
		}
		this.connectionFactory.destroy();
	}

}
