package io.github.c2mspring.benchmarks;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import org.jspecify.annotations.Nullable;

/**
 * A store that counts what the {@code fleet} scenario asks of the database.
 */
final class CountingStore implements LongTermTokenStore {

	private final LongTermTokenStore delegate;

	final LongAdder reads = new LongAdder();

	final LongAdder writes = new LongAdder();

	CountingStore(LongTermTokenStore delegate) {
		this.delegate = delegate;
	}

	@Override
	public Optional<StoredToken> load(String key) {
		this.reads.increment();
		return this.delegate.load(key);
	}

	@Override
	public boolean compareAndSet(String key, LongTermToken token, @Nullable RetiredToken retired,
			long expectedVersion) {
		this.writes.increment();
		return this.delegate.compareAndSet(key, token, retired, expectedVersion);
	}

	@Override
	public boolean tryLease(String key, String owner, Instant now, Instant until) {
		this.writes.increment();
		return this.delegate.tryLease(key, owner, now, until);
	}

	@Override
	public void releaseLease(String key, String owner) {
		this.writes.increment();
		this.delegate.releaseLease(key, owner);
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
