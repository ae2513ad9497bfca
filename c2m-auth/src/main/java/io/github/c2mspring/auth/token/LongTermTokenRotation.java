package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import io.github.c2mspring.auth.token.LongTermTokenCoordinator.Kind;
import io.github.c2mspring.auth.token.LongTermTokenCoordinator.Outcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * The rotation of the long-term token, once for all the instances sharing the store (see
 * {@link LongTermTokenCoordinator#rotate}).
 */
final class LongTermTokenRotation {

	// the coordinator's category, as before it was split
	private static final Log logger = LogFactory.getLog(LongTermTokenCoordinator.class);

	private final StoreCalls calls;

	private final StoreLease lease;

	private final RetiredTokenRevocation revocation;

	private final TokenWrites writes;

	private final TokenAdoption adoption;

	private final Clock clock;

	LongTermTokenRotation(StoreCalls calls, StoreLease lease, RetiredTokenRevocation revocation, TokenWrites writes,
			TokenAdoption adoption, Clock clock) {
		Assert.notNull(calls, "calls must not be null");
		Assert.notNull(lease, "lease must not be null");
		Assert.notNull(revocation, "revocation must not be null");
		Assert.notNull(writes, "writes must not be null");
		Assert.notNull(adoption, "adoption must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.calls = calls;
		this.lease = lease;
		this.revocation = revocation;
		this.writes = writes;
		this.adoption = adoption;
		this.clock = clock;
	}

	/**
	 * Rotate the held token (see {@link LongTermTokenCoordinator#rotate}).
	 */
	<W> Mono<Outcome> rotate(LongTermToken held, Mono<W> prepare, Function<W, Mono<LongTermToken>> rotator,
			Duration grace, boolean revokeHeld) {
		// the row is read before the lease (most instances stop there) and again under it
		return this.calls.load(C2MOperation.ROTATE_LONG_TERM_TOKEN).flatMap((seen) -> {
			Optional<LongTermToken> newer = storedInPlaceOf(held, seen);
			if (newer.isPresent()) {
				return Mono.just(Outcome.adopted(newer.get()));
			}
			if (this.revocation.holdsRotationBack(seen, grace)) {
				return this.revocation.revokeIfDue().thenReturn(Outcome.BUSY);
			}
			return prepare
				.flatMap((prepared) -> this.lease.under(C2MOperation.ROTATE_LONG_TERM_TOKEN,
						() -> this.calls.load(C2MOperation.ROTATE_LONG_TERM_TOKEN)
							.flatMap((stored) -> underLease(held, stored, grace,
									() -> rotator.apply(prepared)
										.flatMap((fresh) -> store(held, fresh, stored, grace, revokeHeld))))))
				.defaultIfEmpty(Outcome.BUSY);
		});
	}

	/**
	 * The rotation under the lease, from the row read again: a token another instance
	 * stored meanwhile is adopted, a retired token still in its grace period holds it
	 * back, otherwise it goes ahead.
	 */
	private Mono<Outcome> underLease(LongTermToken held, Optional<StoredToken> stored, Duration grace,
			Supplier<Mono<Outcome>> rotation) {
		Optional<LongTermToken> storedNewer = storedInPlaceOf(held, stored);
		if (storedNewer.isPresent()) {
			return Mono.just(Outcome.adopted(storedNewer.get()));
		}
		if (this.revocation.holdsRotationBack(stored, grace)) {
			return Mono.just(Outcome.BUSY);
		}
		RetiredToken earlier = stored.map(StoredToken::retired).orElse(null);
		if (earlier != null) {
			logger.warn("The retired C2M long-term token " + earlier.tokenId() + " could not be revoked " + "since "
					+ earlier.revokeAt() + "; the rotation goes ahead and it stays valid " + "until it expires");
		}
		return rotation.get();
	}

	private Mono<Outcome> store(LongTermToken held, LongTermToken fresh, Optional<StoredToken> stored, Duration grace,
			boolean revokeHeld) {
		RetiredToken retired = (revokeHeld && held.tokenId() != null)
				? new RetiredToken(held.tokenId(), this.clock.instant().plus(grace)) : null;
		return this.writes.store(C2MOperation.ROTATE_LONG_TERM_TOKEN, fresh, retired, stored, Kind.ROTATED, held);
	}

	private Optional<LongTermToken> storedInPlaceOf(LongTermToken held, Optional<StoredToken> row) {
		return row.map(StoredToken::token).filter((token) -> this.adoption.isNewer(token, held));
	}

}
