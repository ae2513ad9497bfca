package io.github.c2mspring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import io.github.c2mspring.auth.store.EncryptingLongTermTokenStore;
import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.TokenCipher;
import io.github.c2mspring.auth.store.jdbc.C2MStoreSchema;
import io.github.c2mspring.auth.store.jdbc.JdbcLongTermTokenStore;
import io.github.c2mspring.auth.store.redis.RedisLongTermTokenStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.jta.JtaTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

/**
 * The long-term token store ({@code c2m.auth.store.type}): in memory by default, or JDBC
 * on the application's {@link DataSource} with its values sealed by AES-256-GCM (an
 * {@link EncryptingLongTermTokenStore} around the JDBC store). Either backs off to an
 * application's own {@link LongTermTokenStore} bean.
 */
@Configuration(proxyBeanMethods = false)
@Import({ C2MStoreConfiguration.Jdbc.class, C2MStoreConfiguration.Redis.class, C2MStoreConfiguration.InMemory.class })
class C2MStoreConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "c2m.auth.store.type", havingValue = "memory", matchIfMissing = true)
	static class InMemory {

		@Bean
		@ConditionalOnMissingBean
		LongTermTokenStore c2mLongTermTokenStore() {
			return new InMemoryLongTermTokenStore();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(value = JdbcTemplate.class, name = "io.github.c2mspring.auth.store.jdbc.JdbcLongTermTokenStore")
	@ConditionalOnProperty(name = "c2m.auth.store.type", havingValue = "jdbc")
	static class Jdbc {

		private static final Log logger = LogFactory.getLog(C2MStoreConfiguration.class);

		@Bean
		@ConditionalOnMissingBean
		LongTermTokenStore c2mLongTermTokenStore(ObjectProvider<DataSource> dataSource,
				ObjectProvider<PlatformTransactionManager> transactionManagers, C2MProperties properties) {
			C2MProperties.Store store = properties.getAuth().getStore();
			DataSource database = dataSource.getIfUnique();
			if (database == null) {
				throw new C2MConfigurationException("c2m.auth.store.type",
						"the JDBC store needs the application's DataSource, and there is none (or more than one)",
						"Configure spring.datasource.* (and a JDBC driver), or set c2m.auth.store.type=memory.");
			}
			String table = store.getTableName();
			if (!StringUtils.hasText(table) || !table.matches("[A-Za-z_][A-Za-z0-9_.]{0,62}")) {
				throw new C2MConfigurationException("c2m.auth.store.table-name",
						"'" + table + "' is not a plain SQL table name",
						"Set c2m.auth.store.table-name to letters, digits and underscores, such as c2m_long_term_token.");
			}
			Duration timeout = C2MSettings.checkPositive("c2m.auth.store.timeout", store.getTimeout(), "10s");
			PlatformTransactionManager transactionManager = transactionManager(transactionManagers.getIfUnique());
			// sealed by a decorator, so that any store can seal; the JDBC store keeps
			// what it
			// is given
			LongTermTokenStore sealed = new EncryptingLongTermTokenStore(
					new JdbcLongTermTokenStore(database, transactionManager, table, timeout), cipher(store));
			prepareSchema(
					new JdbcTemplate(database), new TransactionTemplate((transactionManager != null)
							? transactionManager : new DataSourceTransactionManager(database)),
					table, store.isInitializeSchema());
			return sealed;
		}

		/**
		 * The transaction manager of the store: the application's when it is a JTA one
		 * (the store's connections then take part in JTA transactions); otherwise
		 * {@code null}, for a {@link DataSourceTransactionManager} of the store's own on
		 * its {@code DataSource}, not a bean, so that it never competes with the
		 * application's (a JPA, Kafka or other database's one would leave the store's
		 * writes uncommitted) and its connections carry the store's network timeout.
		 * Either way each store operation runs in a transaction of its own, committed
		 * whatever the pool's auto-commit setting.
		 */
		static @Nullable PlatformTransactionManager transactionManager(
				@Nullable PlatformTransactionManager application) {
			return (application instanceof JtaTransactionManager) ? application : null;
		}

		/**
		 * Create the table (and add the columns an older table lacks) when asked to;
		 * otherwise check that the table is complete, so that a missing migration fails
		 * the startup with the fix instead of the first token request. A database that
		 * cannot be reached is left to fail at first use. Each statement that changes the
		 * schema is committed in a transaction of its own (on PostgreSQL a pool that does
		 * not auto-commit would roll it back).
		 */
		static void prepareSchema(JdbcTemplate jdbc, TransactionOperations transactions, String table,
				boolean initialize) {
			try {
				if (initialize) {
					transactions.executeWithoutResult((status) -> jdbc.execute(C2MStoreSchema.script(table)));
				}
				List<String> missing = C2MStoreSchema.missingColumns(jdbc, table);
				if (missing.isEmpty()) {
					return;
				}
				if (missing.size() == JdbcLongTermTokenStore.COLUMNS.size()) {
					throw new C2MConfigurationException("c2m.auth.store.table-name",
							"the table '" + table + "' of the JDBC long-term token store does not exist",
							"Create it with the script " + C2MStoreSchema.LOCATION + " from the starter's jar (your "
									+ "migration tool), or set c2m.auth.store.initialize-schema=true.");
				}
				List<String> statements = missing.stream()
					.map((column) -> C2MStoreSchema.addColumn(table, column))
					.toList();
				if (!initialize) {
					throw new C2MConfigurationException("c2m.auth.store.table-name",
							"the table '" + table + "' lacks the column(s) " + missing + " that this version of the "
									+ "starter needs",
							"Run " + String.join("; ", statements)
									+ " (your migration tool), or set c2m.auth.store.initialize-schema=true.");
				}
				statements
					.forEach((statement) -> transactions.executeWithoutResult((status) -> jdbc.execute(statement)));
				logger.info("Added " + missing + " to the C2M long-term token table " + table);
			}
			catch (DataAccessException ex) {
				logger.warn("Could not check the C2M long-term token table " + table + " at startup ("
						+ ex.getClass().getSimpleName() + "); the store will be used when the database answers");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(value = RedisConnectionFactory.class,
			name = "io.github.c2mspring.auth.store.redis.RedisLongTermTokenStore")
	@ConditionalOnProperty(name = "c2m.auth.store.type", havingValue = "redis")
	static class Redis {

		@Bean
		@ConditionalOnMissingBean
		LongTermTokenStore c2mLongTermTokenStore(ObjectProvider<RedisConnectionFactory> connectionFactory,
				C2MProperties properties) {
			C2MProperties.Store store = properties.getAuth().getStore();
			RedisConnectionFactory redis = connectionFactory.getIfUnique();
			if (redis == null) {
				throw new C2MConfigurationException("c2m.auth.store.type",
						"the Redis store needs the application's RedisConnectionFactory, and there is none (or more "
								+ "than one)",
						"Add spring-boot-starter-data-redis and configure spring.data.redis.*, or set "
								+ "c2m.auth.store.type=memory.");
			}
			String prefix = store.getRedisKeyPrefix();
			if (!StringUtils.hasText(prefix) || prefix.contains("{") || prefix.contains("}")) {
				throw new C2MConfigurationException("c2m.auth.store.redis-key-prefix",
						"'" + prefix + "' is not a usable key prefix (it must not be empty, nor hold '{' or '}', "
								+ "which the store uses for the client id's hash tag)",
						"Set c2m.auth.store.redis-key-prefix to a prefix such as c2m:long-term-token:.");
			}
			// an entry is kept for the rotation's grace period after its token expired,
			// so that an instance still sees a retired token due for revocation
			Duration gracePeriod = properties.getAuth().getLongTerm().getRotation().getGracePeriod();
			Duration retention = (gracePeriod != null && !gracePeriod.isNegative()) ? gracePeriod : Duration.ZERO;
			return new EncryptingLongTermTokenStore(new RedisLongTermTokenStore(redis, prefix, retention),
					cipher(store));
		}

	}

	static TokenCipher cipher(C2MProperties.Store store) {
		if (!StringUtils.hasText(store.getEncryptionKey())) {
			if (store.isAllowPlaintext()) {
				return TokenCipher.plaintext();
			}
			throw new C2MConfigurationException("c2m.auth.store.encryption-key",
					"the " + store.getType().name().toLowerCase(Locale.ROOT) + " store would keep the long-term token "
							+ "in plain text: no encryption key is set",
					"Set c2m.auth.store.encryption-key to a base64 256-bit key (openssl rand -base64 32), or, for a "
							+ "throw-away store only, c2m.auth.store.allow-plaintext=true.");
		}
		Map<String, String> keys = new LinkedHashMap<>();
		keys.put(store.getEncryptionKeyId(), store.getEncryptionKey());
		store.getPreviousEncryptionKeys().forEach(keys::putIfAbsent);
		try {
			return TokenCipher.aesGcm(keys);
		}
		catch (IllegalArgumentException ex) {
			throw new C2MConfigurationException("c2m.auth.store.encryption-key",
					Objects.requireNonNullElse(ex.getMessage(), "the encryption key is not usable"),
					"Use a base64 256-bit key (openssl rand -base64 32) with an id of letters and digits.");
		}
	}

}
