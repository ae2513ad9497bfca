package io.github.c2mspring.auth.store;

import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Where a test fleet keeps its long-term token (a database, Redis): the settings and
 * beans its instances need, the plain store on it, and the raw fields of an entry, named
 * as the JDBC store's columns (the Redis store's hash fields bear the same names), for
 * the tests that read or tamper with what is stored.
 */
interface FleetStorage extends AutoCloseable {

	/**
	 * The properties that point an instance at the storage.
	 * @return the properties, {@code name=value}
	 */
	List<String> properties();

	/**
	 * Register what an instance needs beside its properties (a connection factory of the
	 * application's own, say).
	 * @param beanFactory the instance's bean factory
	 */
	default void register(ConfigurableListableBeanFactory beanFactory) {
	}

	/**
	 * A store on the storage, as the instances have it before sealing.
	 * @return the store
	 */
	LongTermTokenStore store();

	/**
	 * The raw fields of a key's entry.
	 * @param key the key
	 * @return the fields that have a value, as text
	 */
	Map<String, String> entry(String key);

	/**
	 * Change raw fields of a key's entry, as someone with write access to the storage
	 * could.
	 * @param key the key
	 * @param fields the fields and their new values, {@code null} to clear one
	 */
	void update(String key, Map<String, ?> fields);

	@Override
	void close();

}
