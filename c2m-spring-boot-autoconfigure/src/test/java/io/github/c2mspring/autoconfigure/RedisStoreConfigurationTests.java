package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.auth.store.EncryptingLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.redis.RedisLongTermTokenStore;
import io.github.c2mspring.auth.token.C2MTokenManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code c2m.auth.store.type=redis}: the Redis store on the application's
 * {@link RedisConnectionFactory}, sealed like the JDBC store, and a clear failure for
 * each way the setting cannot work. Nothing here connects to Redis (the store tests and
 * the fleet tests on a real server do).
 */
class RedisStoreConfigurationTests {

	private static final String KEY = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, C2MAutoConfiguration.class))
		.withPropertyValues("c2m.client-id=client-1", "c2m.auth.client-secret=s3cret", "c2m.auth.store.type=redis");

	private final ApplicationContextRunner withRedis = this.runner.withBean(RedisConnectionFactory.class,
			() -> new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1)));

	@Test
	void theRedisStoreIsSealedAndUsedByTheManager() {
		this.withRedis
			.withPropertyValues("c2m.auth.store.encryption-key=" + KEY, "c2m.auth.store.redis-key-prefix=app:c2m:")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				LongTermTokenStore store = context.getBean(LongTermTokenStore.class);
				assertThat(store).isInstanceOf(EncryptingLongTermTokenStore.class);
				assertThat(store.toString()).contains(RedisLongTermTokenStore.class.getSimpleName(), "app:c2m:");
				assertThat(context.getBean(C2MTokenManager.class).getLongTermTokenStore()).isSameAs(store);
			});
	}

	@Test
	void withoutAConnectionFactoryTheStartupFailsNamingTheStarterToAdd() {
		assertFailure(this.runner.withPropertyValues("c2m.auth.store.encryption-key=" + KEY), "c2m.auth.store.type",
				"RedisConnectionFactory", "spring-boot-starter-data-redis");
	}

	@Test
	void withoutSpringDataRedisTheStartupFailsNamingBothModules() {
		assertFailure(
				this.runner.withPropertyValues("c2m.auth.store.encryption-key=" + KEY)
					.withClassLoader(new FilteredClassLoader("org.springframework.data.redis")),
				"c2m.auth.store.type", "c2m-auth-redis", "spring-boot-starter-data-redis");
	}

	@Test
	void aPrefixWithABraceIsRefused() {
		assertFailure(
				this.withRedis.withPropertyValues("c2m.auth.store.encryption-key=" + KEY,
						"c2m.auth.store.redis-key-prefix=c2m:{tokens}:"),
				"c2m.auth.store.redis-key-prefix", "hash tag", "c2m:long-term-token:");
	}

	@Test
	void withoutAnEncryptionKeyTheTokenIsNotKeptInPlainText() {
		assertFailure(this.withRedis, "c2m.auth.store.encryption-key", "redis store would keep the long-term token",
				"openssl rand -base64 32");
	}

	private static void assertFailure(ApplicationContextRunner runner, String property, String description,
			String action) {
		runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = StartupFailureAnalysis.analyze(context.getStartupFailure(),
					new StandardEnvironment());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains("'" + property + "'").contains(description);
			assertThat(analysis.getAction()).contains(action);
		});
	}

}
