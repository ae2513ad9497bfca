/**
 * The JDBC long-term token store:
 * {@link io.github.c2mspring.auth.store.jdbc.JdbcLongTermTokenStore} (compare-and-set row
 * versions, a lease column, each operation in a transaction of its own, values sealed by
 * a {@link io.github.c2mspring.auth.store.TokenCipher}) and its schema
 * ({@link io.github.c2mspring.auth.store.jdbc.C2MStoreSchema}, the script
 * {@code io/github/c2mspring/auth/store/schema.sql}).
 */
@NullMarked
package io.github.c2mspring.auth.store.jdbc;

import org.jspecify.annotations.NullMarked;
