package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import io.github.c2mspring.auth.store.LongTermTokenStore;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link C2MTokenManager}: every option set once, before the manager exists. Not
 * thread-safe; each {@link #build()} returns a new, independent manager.
 */
public interface C2MTokenManagerBuilder {

	/**
	 * The name of the account the manager serves (default:
	 * {@value C2MTokenManager#DEFAULT_NAME}), which its events carry; an application with
	 * several Click2Mail accounts has one manager per account.
	 * @param name the name
	 * @return this builder
	 */
	C2MTokenManagerBuilder name(String name);

	/**
	 * The scopes of a short-term token when a caller names none (default: none, for the
	 * long-term token's own scopes).
	 * @param scopes the scopes
	 * @return this builder
	 */
	C2MTokenManagerBuilder defaultScopes(Collection<String> scopes);

	/**
	 * The clock that decides expiry (default: a new {@link MonotonicClock}).
	 * @param clock the clock
	 * @return this builder
	 */
	C2MTokenManagerBuilder clock(Clock clock);

	/**
	 * When tokens are replaced and how failures are retried (default:
	 * {@link TokenPolicy#defaults()}).
	 * @param policy the policy
	 * @return this builder
	 */
	C2MTokenManagerBuilder policy(TokenPolicy policy);

	/**
	 * When a short-term token is replaced in the background (default:
	 * {@link RefreshPolicy#fractionOfLife} with the policy's refresh point and jitter).
	 * @param refreshPolicy the refresh policy
	 * @return this builder
	 */
	C2MTokenManagerBuilder refreshPolicy(RefreshPolicy refreshPolicy);

	/**
	 * Where the calls of a blocking store run, and how long a store call and a blocking
	 * caller may wait (default: {@link TokenExecution#defaults()}).
	 * @param execution the execution settings
	 * @return this builder
	 */
	C2MTokenManagerBuilder execution(TokenExecution execution);

	/**
	 * Keep the long-term token in a store, shared with the other instances that use the
	 * same store and key: they issue it once, rotate it once and revoke a rotated-out
	 * token once (default: in this manager's memory).
	 * @param store the store
	 * @param key the key of the token in the store (the client id)
	 * @param lease how long one instance may take to issue or rotate before another may
	 * take over (also how long a dead instance can hold the others up)
	 * @param checkInterval how often, at most, an instance using the token looks at the
	 * store for a token another instance stored and for a retired token due for
	 * revocation
	 * @return this builder
	 */
	C2MTokenManagerBuilder longTermTokenStore(LongTermTokenStore store, String key, Duration lease,
			Duration checkInterval);

	/**
	 * Rotate the long-term token (when the policy allows it) with this request (default:
	 * no rotation).
	 * @param clientId the client id
	 * @param scopes the scopes to request (empty for the current token's)
	 * @param ttl the lifetime to request, or {@code null} for the server's default
	 * @return this builder
	 */
	C2MTokenManagerBuilder rotation(String clientId, Collection<String> scopes, @Nullable Duration ttl);

	/**
	 * Add a listener told about issuance, rotation, revocation and failures; the
	 * listeners are called in the order added, and one that throws is logged and ignored.
	 * A listener is called on the thread that produced the event, often a network
	 * event-loop thread, so it must neither block nor do I/O.
	 * @param listener the listener
	 * @return this builder
	 */
	C2MTokenManagerBuilder eventListener(Consumer<C2MTokenEvent> listener);

	/**
	 * The source of randomness of the jitter, uniform in [0, 1) (default:
	 * {@link java.util.concurrent.ThreadLocalRandom}).
	 * @param random the source
	 * @return this builder
	 */
	C2MTokenManagerBuilder random(DoubleSupplier random);

	/**
	 * Apply a change to this builder, for example a customizer's.
	 * @param change the change
	 * @return this builder
	 */
	C2MTokenManagerBuilder apply(Consumer<C2MTokenManagerBuilder> change);

	/**
	 * Build a new manager.
	 * @return the manager
	 */
	C2MTokenManager build();

}
