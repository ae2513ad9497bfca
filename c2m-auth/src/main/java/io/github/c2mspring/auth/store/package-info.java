/**
 * Where the long-term token is kept beyond one process: the store abstraction, its
 * in-memory implementation, the cipher that seals values at rest and the decorator that
 * seals the values of any store with it ({@code EncryptingLongTermTokenStore}). The JDBC
 * implementation is in the {@code c2m-auth-jdbc} module
 * ({@code io.github.c2mspring.auth.store.jdbc}).
 */
@NullMarked
package io.github.c2mspring.auth.store;

import org.jspecify.annotations.NullMarked;
