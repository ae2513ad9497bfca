package io.github.c2mspring.auth.token;

import java.util.Optional;

import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import io.github.c2mspring.auth.token.LongTermTokenCoordinator.Kind;
import io.github.c2mspring.auth.token.LongTermTokenCoordinator.Outcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * How the {@link LongTermTokenCoordinator} writes a token it obtained to the store, with
 * compare-and-set, converging on the stored token when another instance wrote first, and
 * what it does when the write fails: a rotated token is revoked unless it may have been
 * stored; an issued one is kept by this instance, unshared, until its next check stores
 * it.
 */
final class TokenWrites {

	// the coordinator's category, as before it was split
	private static final Log logger = LogFactory.getLog(LongTermTokenCoordinator.class);

	private final StoreCalls calls;

	private final TokenAdoption adoption;

	private final LongTermTokenCoordinator.Revoker revoker;

	/**
	 * A token this instance issued and could not store yet: its own, shared with no one.
	 */
	private volatile @Nullable String unstoredValue;

	TokenWrites(StoreCalls calls, TokenAdoption adoption, LongTermTokenCoordinator.Revoker revoker) {
		Assert.notNull(calls, "calls must not be null");
		Assert.notNull(adoption, "adoption must not be null");
		Assert.notNull(revoker, "revoker must not be null");
		this.calls = calls;
		this.adoption = adoption;
		this.revoker = revoker;
	}

	/**
	 * Whether the held token is one this instance issued and could not store yet.
	 * @param held the token this instance holds
	 * @return whether it is shared with no one
	 */
	boolean isUnshared(LongTermToken held) {
		return held.tokenValue().equals(this.unstoredValue);
	}

	/**
	 * Forget the token this instance could not store, and tell whether it is
	 * {@code held}: a token shared with no one, to revoke when another is adopted.
	 * @param held the token this instance holds
	 * @return whether {@code held} was issued here and never stored
	 */
	boolean forgetUnshared(LongTermToken held) {
		boolean unshared = held.tokenValue().equals(this.unstoredValue) && held.tokenId() != null;
		this.unstoredValue = null;
		return unshared;
	}

	/**
	 * Store the held token over the entry at {@code version} (0: none).
	 * @param held the token this instance holds
	 * @param retired the retired token to keep beside it, or {@code null}
	 * @param version the version of the entry as read
	 * @return {@link Kind#UNCHANGED}
	 */
	Mono<Outcome> storeHeld(LongTermToken held, @Nullable RetiredToken retired, long version) {
		return this.calls
			.call(C2MOperation.REVOKE_TOKEN, held.tokenValue(),
					() -> this.calls.store().compareAndSet(this.calls.key(), held, retired, version))
			.doOnNext((stored) -> {
				if (stored && held.tokenValue().equals(this.unstoredValue)) {
					this.unstoredValue = null;
				}
			})
			.thenReturn(Outcome.UNCHANGED);
	}

	/**
	 * Store a token obtained under the lease. If another instance wrote first (this one's
	 * lease ran out while it worked), converge on the stored token when it is usable,
	 * revoking the one obtained; if only the version moved (the stored token is still
	 * {@code replacing}), store over it. If the store cannot be written, a rotated token
	 * is revoked and the rotation fails (the held token stays stored and in use), while
	 * an issued token is kept in use by this instance, since its credential may not issue
	 * again (a one-time code), and stored at the next check.
	 */
	Mono<Outcome> store(C2MOperation operation, LongTermToken token, @Nullable RetiredToken retired,
			Optional<StoredToken> seen, Kind kind, @Nullable LongTermToken replacing) {
		String key = this.calls.key();
		return this.calls.call(operation, token.tokenValue(), () -> {
			Optional<StoredToken> current = seen;
			for (int attempt = 0; attempt < 3; attempt++) {
				long version = current.map(StoredToken::version).orElse(0L);
				if (this.calls.store().compareAndSet(key, token, retired, version)) {
					return Optional.<LongTermToken>empty();
				}
				current = this.calls.store().load(key);
				Optional<LongTermToken> theirs = current.map(StoredToken::token)
					.filter((stored) -> replacing == null || !TokenAdoption.sameValue(stored, replacing))
					.filter(this.adoption::adoptable);
				if (theirs.isPresent()) {
					return theirs;
				}
			}
			throw new IllegalStateException("the stored long-term token changed three times while this instance "
					+ "tried to store " + token.tokenId());
		}).onErrorResume((ex) -> notStored(operation, kind, token, ex)).flatMap((theirs) -> {
			if (theirs.isEmpty()) {
				return Mono.just(new Outcome(kind, token, retired));
			}
			logger.warn("Another C2M instance stored the long-term token " + theirs.get().tokenId() + " while this one "
					+ "obtained " + token.tokenId() + " (its store lease ran out); using the stored one");
			Mono<Void> revocation = ((kind == Kind.ISSUED || kind == Kind.ROTATED) && token.tokenId() != null)
					? revokeQuietly(token.tokenId(), token) : Mono.empty();
			return revocation.thenReturn(Outcome.adopted(theirs.get()));
		});
	}

	/**
	 * A write of {@code token} failed. A failure can hide a write that went through (a
	 * connection lost after the commit), so the row is read again first: a token found
	 * stored is stored. A rotated token is revoked only when the row shows another token
	 * (if the row cannot be read either, it is left alone: a token that may be the
	 * fleet's is never revoked on a guess). An issued token is kept, and stored at the
	 * next check.
	 */
	private Mono<Optional<LongTermToken>> notStored(C2MOperation operation, Kind kind, LongTermToken token,
			Throwable ex) {
		return this.calls.load(operation)
			.map(Optional::of)
			.onErrorResume((unreadable) -> Mono.just(Optional.empty()))
			.flatMap((reread) -> {
				boolean stored = reread.flatMap((row) -> row)
					.filter((row) -> TokenAdoption.sameValue(row.token(), token))
					.isPresent();
				if (stored) {
					return Mono.just(Optional.<LongTermToken>empty());
				}
				if (kind == Kind.ROTATED) {
					if (reread.isEmpty()) {
						logger.warn("Could not store the rotated C2M long-term token " + token.tokenId() + " ("
								+ ex.getMessage() + ") and cannot tell whether it was stored; the current token stays "
								+ "in use and the rotation is retried");
						return Mono.error(ex);
					}
					logger.warn("Could not store the rotated C2M long-term token " + token.tokenId() + " ("
							+ ex.getMessage() + "); revoking it, the current token stays in use and the rotation is "
							+ "retried");
					return ((token.tokenId() != null) ? revokeQuietly(token.tokenId(), token) : Mono.<Void>empty())
						.then(Mono.error(ex));
				}
				logger.warn("Could not store the C2M long-term token " + token.tokenId() + " (" + ex.getMessage()
						+ "); this instance keeps it in use and stores it at its next check of the store");
				this.unstoredValue = token.tokenValue();
				return Mono.just(Optional.<LongTermToken>empty());
			});
	}

	Mono<Void> revokeQuietly(String tokenId, LongTermToken authority) {
		return this.revoker.revoke(tokenId, authority).onErrorResume((ex) -> Mono.empty());
	}

}
