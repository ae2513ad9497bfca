/**
 * The Redis long-term token store:
 * {@link io.github.c2mspring.auth.store.redis.RedisLongTermTokenStore} on Spring Data
 * Redis (one hash per client for the token, its retired predecessor and a version, and
 * one key for the lease; every conditional step one Lua script, so atomic in Redis
 * itself; values sealed by a {@link io.github.c2mspring.auth.store.TokenCipher} decorator
 * when the application asks for it).
 */
@NullMarked
package io.github.c2mspring.auth.store.redis;

import org.jspecify.annotations.NullMarked;
