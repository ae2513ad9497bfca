package io.github.c2mspring.auth.store;

import java.time.Instant;
import java.util.Optional;

import io.github.c2mspring.auth.LongTermToken;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the long-term token of a client beyond one process, so that a restarted instance
 * reuses it and a fleet shares it. One entry per key: the token in use, the token a
 * rotation retired (until it is revoked) and a version. Updates are compare-and-set on
 * the version; a short lease lets exactly one instance issue, rotate or revoke while the
 * others wait or carry on.
 * <p>
 * Implementations must be safe for concurrent use by several processes; the lease and the
 * compare-and-set must be atomic in the underlying storage (a conditional {@code UPDATE}
 * for a database), not in the process.
 */
public interface LongTermTokenStore {

	/**
	 * The token stored for a key.
	 * @param key the key (the client id)
	 * @return the stored token, if any
	 */
	Optional<StoredToken> load(String key);

	/**
	 * Store a token, and the token it retired, if the stored version is still
	 * {@code expectedVersion} (0: nothing stored yet).
	 * @param key the key
	 * @param token the token to store
	 * @param retired the token to revoke later, or {@code null} for none
	 * @param expectedVersion the version the caller last saw
	 * @return whether the token was stored (false: another instance stored one first)
	 */
	boolean compareAndSet(String key, LongTermToken token, @Nullable RetiredToken retired, long expectedVersion);

	/**
	 * Replace an entry in place by the same token in another stored form (a value sealed
	 * again under the current key or format), keeping its version, if the entry is still
	 * {@code expected}: the same version and the same token value. Best effort, for a
	 * decorator such as {@link EncryptingLongTermTokenStore}: a store that does not
	 * support it leaves the entry as it is, and the next {@link #compareAndSet} writes
	 * the new form anyway.
	 * @param key the key
	 * @param expected the entry as the caller loaded it
	 * @param token the same token in its new stored form
	 * @param retired the retired token to keep beside it, or {@code null} for none
	 * @return whether the entry was replaced; {@code false} unless the store supports it
	 */
	default boolean rewrite(String key, StoredToken expected, LongTermToken token, @Nullable RetiredToken retired) {
		return false;
	}

	/**
	 * Take the lease of a key, if no one else holds it or theirs ran out.
	 * @param key the key
	 * @param owner who takes it
	 * @param now the current time
	 * @param until when the lease runs out
	 * @return whether the lease was taken
	 */
	boolean tryLease(String key, String owner, Instant now, Instant until);

	/**
	 * Give a lease back. Does nothing if {@code owner} does not hold it (any more).
	 * @param key the key
	 * @param owner who held it
	 */
	void releaseLease(String key, String owner);

	/**
	 * Whether the store's calls block the calling thread (on I/O, as a database does).
	 * The token manager runs the calls of a blocking store on its own bounded scheduler,
	 * each bounded by the store timeout; it calls a store that does not block on the
	 * caller's thread.
	 * @return whether the calls block; {@code true} unless a store knows better
	 */
	default boolean isBlocking() {
		return true;
	}

}
