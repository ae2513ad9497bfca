package io.github.c2mspring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.github.c2mspring.auth.store.JdbcLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.TokenCipher;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.StringUtils;

/**
 * The JDBC long-term token store ({@code c2m.auth.store.type=jdbc}) on the application's
 * {@link DataSource}, with its values sealed by AES-256-GCM.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnProperty(name = "c2m.auth.store.type", havingValue = "jdbc")
class C2MStoreConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LongTermTokenStore c2mLongTermTokenStore(ObjectProvider<DataSource> dataSource, C2MProperties properties) {
		C2MProperties.Store store = properties.getAuth().getStore();
		DataSource database = dataSource.getIfUnique();
		if (database == null) {
			throw new C2MConfigurationException("c2m.auth.store.type",
					"the JDBC store needs the application's DataSource, and there is none (or more than one)",
					"Configure spring.datasource.* (and a JDBC driver), or set c2m.auth.store.type=memory.");
		}
		if (!StringUtils.hasText(store.getTableName()) || !store.getTableName().matches("[A-Za-z_][A-Za-z0-9_.]{0,62}")) {
			throw new C2MConfigurationException("c2m.auth.store.table-name",
					"'" + store.getTableName() + "' is not a plain SQL table name",
					"Set c2m.auth.store.table-name to letters, digits and underscores, such as c2m_long_term_token.");
		}
		JdbcLongTermTokenStore jdbc = new JdbcLongTermTokenStore(database, cipher(store), store.getTableName());
		if (store.isInitializeSchema()) {
			new JdbcTemplate(database).execute(schema(store.getTableName()));
		}
		return jdbc;
	}

	static TokenCipher cipher(C2MProperties.Store store) {
		if (!StringUtils.hasText(store.getEncryptionKey())) {
			if (store.isAllowPlaintext()) {
				return TokenCipher.plaintext();
			}
			throw new C2MConfigurationException("c2m.auth.store.encryption-key",
					"the JDBC store would keep the long-term token in plain text: no encryption key is set",
					"Set c2m.auth.store.encryption-key to a base64 256-bit key (openssl rand -base64 32), or, for a "
							+ "throw-away database only, c2m.auth.store.allow-plaintext=true.");
		}
		Map<String, String> keys = new LinkedHashMap<>();
		keys.put(store.getEncryptionKeyId(), store.getEncryptionKey());
		store.getPreviousEncryptionKeys().forEach(keys::putIfAbsent);
		try {
			return TokenCipher.aesGcm(keys);
		}
		catch (IllegalArgumentException ex) {
			throw new C2MConfigurationException("c2m.auth.store.encryption-key", ex.getMessage(),
					"Use a base64 256-bit key (openssl rand -base64 32) with an id of letters and digits.");
		}
	}

	static String schema(String table) {
		return C2MStoreSchema.script(table);
	}

}
