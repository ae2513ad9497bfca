package io.github.c2mspring.auth.store;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.github.c2mspring.auth.store.redis.RedisLongTermTokenStore;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A fleet's keys on a Redis server, under a prefix of their own. Each instance gets a
 * {@code RedisConnectionFactory} of the application's own, on Lettuce, as Spring Boot
 * would configure it from {@code spring.data.redis.url}.
 */
final class RedisFleetStorage implements FleetStorage {

	private final URI url;

	private final String prefix = "c2m-fleet-test:" + UUID.randomUUID() + ":";

	private final LettuceConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final List<LettuceConnectionFactory> instances = new ArrayList<>();

	RedisFleetStorage(String url) {
		this.url = URI.create(url);
		this.connectionFactory = connectionFactory();
		this.redis = new StringRedisTemplate(this.connectionFactory);
	}

	private LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.url.getHost(), this.url.getPort()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	@Override
	public List<String> properties() {
		return List.of("c2m.auth.store.type=redis", "c2m.auth.store.redis-key-prefix=" + this.prefix);
	}

	@Override
	public void register(ConfigurableListableBeanFactory beanFactory) {
		LettuceConnectionFactory factory = connectionFactory();
		this.instances.add(factory);
		beanFactory.registerSingleton("redisConnectionFactory", factory);
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

	@Override
	public void close() {
		Set<String> keys = this.redis.keys(this.prefix + "*");
		if (keys != null && !keys.isEmpty()) {
			this.redis.delete(keys);
		}
		this.instances.forEach(LettuceConnectionFactory::destroy);
		this.connectionFactory.destroy();
	}

}
