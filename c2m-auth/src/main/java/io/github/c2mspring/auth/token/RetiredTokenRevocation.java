package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * The revocation of the token a rotation retired, recorded in the store beside the new
 * one with the time it may be revoked: whichever instance looks after that time takes the
 * lease, revokes it once for the fleet and clears the record, so that it happens even if
 * the rotating instance is gone. A revocation the server refuses for good (the token in
 * use lacks {@code tokens:revoke}, or a client error) is given up, the token left to
 * expire; one that may succeed later is tried again at the next check.
 */
final class RetiredTokenRevocation {

	// the coordinator's category, as before it was split
	private static final Log logger = LogFactory.getLog(LongTermTokenCoordinator.class);

	private final StoreCalls calls;

	private final StoreLease lease;

	private final Clock clock;

	private final LongTermTokenCoordinator.Revoker revoker;

	/**
	 * Create the revocation of the retired tokens of an entry.
	 * @param calls the calls to the store and its entry
	 * @param lease the entry's lease
	 * @param clock the clock of the revocation times
	 * @param revoker how a token is revoked
	 */
	RetiredTokenRevocation(StoreCalls calls, StoreLease lease, Clock clock, LongTermTokenCoordinator.Revoker revoker) {
		Assert.notNull(calls, "calls must not be null");
		Assert.notNull(lease, "lease must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(revoker, "revoker must not be null");
		this.calls = calls;
		this.lease = lease;
		this.clock = clock;
		this.revoker = revoker;
	}

	/**
	 * Whether an entry's retired token is due for revocation.
	 * @param row the entry
	 * @return whether it holds a retired token whose grace period is over
	 */
	boolean isDue(StoredToken row) {
		return row.retired() != null && row.retired().isDue(this.clock.instant());
	}

	/**
	 * Whether a rotation waits for the row's retired token to be revoked first. It stops
	 * waiting once the revocation has been due for a grace period (at least a lease)
	 * without succeeding: the rotation matters more than a token that expires anyway.
	 * @param row the entry, if any
	 * @param grace the grace period of the rotation
	 * @return whether the rotation waits
	 */
	boolean holdsRotationBack(Optional<StoredToken> row, Duration grace) {
		RetiredToken retired = row.map(StoredToken::retired).orElse(null);
		Duration patience = (grace.compareTo(this.lease.duration()) > 0) ? grace : this.lease.duration();
		return retired != null && this.clock.instant().isBefore(retired.revokeAt().plus(patience));
	}

	/**
	 * Revoke the retired token if it is due, under the lease.
	 * @return whether it was revoked (or given up on) and its record cleared; empty if
	 * another instance holds the lease
	 */
	Mono<Boolean> revokeIfDue() {
		return this.lease.under(C2MOperation.REVOKE_TOKEN, () -> revoke(false));
	}

	/**
	 * Revoke the retired token now, without waiting for its grace period, under the
	 * lease.
	 * @return whether it was revoked (or given up on) and its record cleared
	 */
	Mono<Boolean> revokeNow() {
		return this.lease.under(C2MOperation.REVOKE_TOKEN, () -> revoke(true)).defaultIfEmpty(false);
	}

	private Mono<Boolean> revoke(boolean evenBeforeItIsDue) {
		return this.calls.load(C2MOperation.REVOKE_TOKEN).flatMap((stored) -> {
			StoredToken row = stored.orElse(null);
			if (row == null || row.retired() == null || (!evenBeforeItIsDue && !isDue(row))) {
				return Mono.just(false);
			}
			String retiredId = row.retired().tokenId();
			return this.revoker.revoke(retiredId, row.token())
				.thenReturn(true)
				.onErrorResume(C2MAuthException.class, (ex) -> {
					if (!isPermanentRefusal(ex)) {
						return Mono.just(false);
					}
					String why = lacksScope(ex) ? "the token in use lacks the tokens:revoke scope"
							: "the server refused it (" + ex.getStatus() + " " + ex.getCode() + ")";
					logger.warn("The retired C2M long-term token " + retiredId + " cannot be revoked: " + why
							+ "; giving up, it stays valid until it expires");
					return Mono.just(true);
				})
				.onErrorReturn(false)
				.flatMap((done) -> done
						? this.calls.call(C2MOperation.REVOKE_TOKEN,
								() -> this.calls.store()
									.compareAndSet(this.calls.key(), row.token(), null, row.version()))
						: Mono.just(false));
		});
	}

	/**
	 * Whether a refused revocation can never succeed by being repeated: a client error
	 * other than an unusable authority (401), a timeout (408) or throttling (429); or an
	 * authority that lacks {@code tokens:revoke} (the contract answers it with 401
	 * {@code insufficient_scope}).
	 */
	private static boolean isPermanentRefusal(C2MAuthException ex) {
		int status = ex.getStatus();
		return lacksScope(ex) || (status >= 400 && status < 500 && status != 401 && status != 408 && status != 429);
	}

	private static boolean lacksScope(C2MAuthException ex) {
		return ex.getStatus() == 403 || "insufficient_scope".equals(ex.getCode());
	}

}
