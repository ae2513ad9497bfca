package io.github.c2mspring.auth.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.c2mspring.auth.LongTermToken;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LongTermTokenStore} in this process's memory, the default: the token lives as
 * long as the process and is shared by nothing else.
 */
public final class InMemoryLongTermTokenStore implements LongTermTokenStore {

	private final Map<String, StoredToken> tokens = new ConcurrentHashMap<>();

	private final Map<String, Lease> leases = new ConcurrentHashMap<>();

	@Override
	public Optional<StoredToken> load(String key) {
		return Optional.ofNullable(this.tokens.get(key));
	}

	@Override
	public boolean compareAndSet(String key, LongTermToken token, @Nullable RetiredToken retired,
			long expectedVersion) {
		boolean[] stored = { false };
		this.tokens.compute(key, (k, current) -> {
			long version = (current != null) ? current.version() : 0;
			if (version != expectedVersion) {
				return current;
			}
			stored[0] = true;
			return new StoredToken(token, retired, version + 1);
		});
		return stored[0];
	}

	@Override
	public boolean rewrite(String key, StoredToken expected, LongTermToken token, @Nullable RetiredToken retired) {
		boolean[] rewritten = { false };
		this.tokens.computeIfPresent(key, (k, current) -> {
			if (current.version() != expected.version()
					|| !current.token().tokenValue().equals(expected.token().tokenValue())) {
				return current;
			}
			rewritten[0] = true;
			return new StoredToken(token, retired, current.version());
		});
		return rewritten[0];
	}

	@Override
	public boolean tryLease(String key, String owner, Instant now, Instant until) {
		boolean[] taken = { false };
		this.leases.compute(key, (k, current) -> {
			if (current == null || current.owner().equals(owner) || !now.isBefore(current.until())) {
				taken[0] = true;
				return new Lease(owner, until);
			}
			return current;
		});
		return taken[0];
	}

	@Override
	public void releaseLease(String key, String owner) {
		this.leases.computeIfPresent(key, (k, current) -> current.owner().equals(owner) ? null : current);
	}

	/**
	 * Never: every call is a quick update of a map in memory.
	 * @return {@code false}
	 */
	@Override
	public boolean isBlocking() {
		return false;
	}

	@Override
	public String toString() {
		return "InMemoryLongTermTokenStore";
	}

	private record Lease(String owner, Instant until) {
	}

}
