package io.github.c2mspring.auth.store;

import java.util.concurrent.CountDownLatch;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.testsupport.ForwardingLongTermTokenStore;

/**
 * A store whose instance dies in the middle of a rotation, at a chosen point: the thread
 * that writes the rotated token never comes back (so the lease it holds is never given
 * back) and nothing more is written, as if the process had been killed there.
 * {@link #close()} lets the thread go at the end of the test; it then fails without
 * writing.
 */
final class CrashingStore extends ForwardingLongTermTokenStore implements AutoCloseable {

	/** Where the instance dies. */
	enum Point {

		/** After the server issued the new token, before it is stored. */
		BEFORE_STORING_THE_NEW_TOKEN,

		/** After the new token is stored, before the old one is revoked. */
		AFTER_STORING_THE_NEW_TOKEN

	}

	private final Point point;

	final CountDownLatch crashed = new CountDownLatch(1);

	private final CountDownLatch end = new CountDownLatch(1);

	CrashingStore(LongTermTokenStore delegate, Point point) {
		super(delegate);
		this.point = point;
	}

	@Override
	public boolean compareAndSet(String key, LongTermToken token, RetiredToken retired, long expectedVersion) {
		if (retired == null) {
			// an issuance, or the retired token cleared: not the rotation's write
			return super.compareAndSet(key, token, retired, expectedVersion);
		}
		if (this.point == Point.BEFORE_STORING_THE_NEW_TOKEN) {
			die();
		}
		super.compareAndSet(key, token, retired, expectedVersion);
		die();
		return false;
	}

	private void die() {
		this.crashed.countDown();
		try {
			this.end.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new IllegalStateException("this instance is dead");
	}

	@Override
	public void close() {
		this.end.countDown();
	}

}
