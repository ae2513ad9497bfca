package io.github.c2mspring.testsupport;

import java.time.Instant;
import java.util.Optional;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;

/**
 * A store that forwards every call to another, for tests that change one of its
 * behaviours (a failing write, a lease always granted, an instance that dies mid-way).
 */
public abstract class ForwardingLongTermTokenStore implements LongTermTokenStore {

	private final LongTermTokenStore delegate;

	protected ForwardingLongTermTokenStore(LongTermTokenStore delegate) {
		this.delegate = delegate;
	}

	@Override
	public Optional<StoredToken> load(String key) {
		return this.delegate.load(key);
	}

	@Override
	public boolean compareAndSet(String key, LongTermToken token, RetiredToken retired, long expectedVersion) {
		return this.delegate.compareAndSet(key, token, retired, expectedVersion);
	}

	@Override
	public boolean rewrite(String key, StoredToken expected, LongTermToken token, RetiredToken retired) {
		return this.delegate.rewrite(key, expected, token, retired);
	}

	@Override
	public boolean tryLease(String key, String owner, Instant now, Instant until) {
		return this.delegate.tryLease(key, owner, now, until);
	}

	@Override
	public void releaseLease(String key, String owner) {
		this.delegate.releaseLease(key, owner);
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.delegate + "]";
	}

}
