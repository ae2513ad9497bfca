package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Obtains, rotates and checks the long-term token through a {@link LongTermTokenStore},
 * so that the instances sharing a store issue once, rotate once, and revoke a rotated-out
 * token once, after a grace period. Every decision is taken from the stored row, under
 * the store's lease, and written with compare-and-set, in an order that loses nothing if
 * the instance dies between two steps:
 * <ol>
 * <li>a new token (issued or rotated) is stored before anything else happens to the old
 * one; an instance that dies before storing it leaves the old token stored and valid, and
 * the rotation is done again by the next instance once the lease runs out;</li>
 * <li>the rotated-out token is stored beside the new one as {@link RetiredToken} with the
 * time it may be revoked; whichever instance looks after that time revokes it and clears
 * the record, so the revocation happens even if the rotating instance is gone.</li>
 * </ol>
 * An instance that loses a race despite the lease (its lease ran out while it worked)
 * revokes the token it obtained and adopts the stored one, so the fleet converges on one
 * token.
 * <p>
 * The coordinator checks; it obtains through {@link LongTermTokenIssuance} and rotates
 * through {@link LongTermTokenRotation}; their parts do one job each: {@link StoreCalls}
 * (the calls to the store, on the store scheduler for a blocking one, bounded by the
 * store timeout, failures masked), {@link StoreLease} (the entry's lease),
 * {@link RetiredTokenRevocation} (the retired token, revoked once after its grace
 * period), {@link TokenWrites} (compare-and-set writes and what a failed one leaves) and
 * {@link TokenAdoption} (which stored token may be adopted).
 */
final class LongTermTokenCoordinator {

	private static final Log logger = LogFactory.getLog(LongTermTokenCoordinator.class);

	/** The code of a {@link C2MAuthException} that the store, not the server, failed. */
	static final String STORE_ERROR = StoreCalls.STORE_ERROR;

	/** How often an instance waiting for another's issuance looks at the store. */
	static final Duration POLL_INTERVAL = Duration.ofMillis(200);

	private final StoreCalls calls;

	private final TokenAdoption adoption;

	private final RetiredTokenRevocation revocation;

	private final TokenWrites writes;

	private final LongTermTokenIssuance issuance;

	private final LongTermTokenRotation rotation;

	private final Clock clock;

	/**
	 * Create a coordinator.
	 * @param store the store
	 * @param key the key of the token in the store (the client id)
	 * @param source where a new token comes from when none can be adopted
	 * @param clock the clock of leases, expiry and grace periods
	 * @param lease how long one instance may take for a step before another may take over
	 * @param usable whether a token has enough life left to be used
	 * @param revoker how a token is revoked
	 * @param execution where the calls of a blocking store run and how long one may take
	 */
	LongTermTokenCoordinator(LongTermTokenStore store, String key, LongTermTokenSource source, Clock clock,
			Duration lease, Predicate<LongTermToken> usable, Revoker revoker, TokenExecution execution) {
		this.calls = new StoreCalls(store, key, execution);
		this.clock = clock;
		StoreLease storeLease = new StoreLease(this.calls, clock, lease);
		this.adoption = new TokenAdoption(usable);
		this.revocation = new RetiredTokenRevocation(this.calls, storeLease, clock, revoker);
		this.writes = new TokenWrites(this.calls, this.adoption, revoker);
		this.issuance = new LongTermTokenIssuance(this.calls, storeLease, this.adoption, this.writes, source, clock);
		this.rotation = new LongTermTokenRotation(this.calls, storeLease, this.revocation, this.writes, this.adoption,
				clock);
	}

	LongTermTokenStore getStore() {
		return this.calls.store();
	}

	/**
	 * A token for an instance that holds none usable: a stored one that is usable and not
	 * refused (adopted), or one issued by the instance that takes the lease and stored;
	 * the others wait for it and adopt it.
	 * @return the token and how it was obtained
	 */
	Mono<Outcome> obtain() {
		return this.issuance.obtain();
	}

	/**
	 * A usable token another instance stored in place of the one refused, if there is
	 * one: for a source that cannot issue.
	 * @return the stored token, or empty
	 */
	Mono<LongTermToken> storedReplacement() {
		return this.issuance.storedReplacement();
	}

	/**
	 * Learn that the server refused a token (revoked or expired), so that it is never
	 * adopted again.
	 * @param refused the refused token
	 */
	void refused(LongTermToken refused) {
		this.adoption.refused(refused);
	}

	/**
	 * Rotate the held token, once for all the instances sharing the store: a token
	 * another instance already stored in its place is adopted; a token retired by an
	 * earlier rotation is revoked first (once it is due), so that no retired token is
	 * dropped before its grace period; otherwise {@code prepare} runs (outside the lease:
	 * it may itself need the store) and, under the lease, {@code rotator} obtains the new
	 * token from the server, which is stored with the held one as retired until
	 * {@code now + grace}. If the new token cannot be stored it is revoked and the
	 * rotation fails: the held token stays stored and valid.
	 * @param <W> what {@code prepare} produces for {@code rotator}
	 * @param held the token this instance holds
	 * @param prepare what the rotation needs before it takes the lease (the
	 * {@code tokens:write} short-term token)
	 * @param rotator obtains the new token from the server
	 * @param grace how long the held token stays valid before it is revoked
	 * @param revokeHeld whether the held token is to be revoked at all
	 * @return {@link Kind#ROTATED} with the new token and the retired one,
	 * {@link Kind#ADOPTED} with the token another instance stored, or {@link Kind#BUSY}
	 * when another instance holds the lease or an earlier retired token is not revoked
	 * yet
	 */
	<W> Mono<Outcome> rotate(LongTermToken held, Mono<W> prepare, Function<W, Mono<LongTermToken>> rotator,
			Duration grace, boolean revokeHeld) {
		return this.rotation.rotate(held, prepare, rotator, grace, revokeHeld);
	}

	/**
	 * Compare the held token with the store: adopt a usable token another instance stored
	 * in its place, revoke a retired token whose grace period is over (under the lease,
	 * once for the fleet), put the held token back if the entry is gone, and put it back
	 * too if the store went back in time: it holds a token issued before the held one,
	 * which this instance shares with the fleet and can still use (a failover to a
	 * replica that missed the last write, a restored backup). The fleet then stays on the
	 * newer token, instead of going back to the older one and rotating again, and the
	 * older one is retired as the lost write had retired it.
	 * @param held the token this instance holds
	 * @param grace how long an older token put aside stays valid before it is revoked
	 * @param retireOlder whether an older token put aside is to be revoked at all
	 * @return {@link Kind#ADOPTED} with the stored token, or {@link Kind#UNCHANGED}
	 */
	Mono<Outcome> check(LongTermToken held, Duration grace, boolean retireOlder) {
		return this.calls.load(C2MOperation.REVOKE_TOKEN).flatMap((stored) -> {
			if (stored.isEmpty()) {
				logger.warn("The C2M long-term token store " + getStore() + " holds no token for " + this.calls.key()
						+ "; storing the one in use (" + held.tokenId() + ")");
				return this.writes.storeHeld(held, null, 0);
			}
			StoredToken row = stored.get();
			if (TokenAdoption.isOlder(row.token(), held) && !this.writes.isUnshared(held)
					&& this.adoption.usable(held)) {
				String olderId = row.token().tokenId();
				RetiredToken retired = (row.retired() == null && retireOlder && olderId != null)
						? new RetiredToken(olderId, this.clock.instant().plus(grace)) : row.retired();
				logger.warn("The C2M long-term token store " + getStore() + " holds " + olderId + ", issued before the "
						+ "one in use (" + held.tokenId() + "): it lost a write (a failover or a restore); storing the "
						+ "one in use again" + ((retired != row.retired()) ? " and retiring " + olderId : ""));
				return this.writes.storeHeld(held, retired, row.version());
			}
			if (this.adoption.isNewer(row.token(), held)) {
				// a token this instance issued and never stored is shared with no one
				boolean unshared = this.writes.forgetUnshared(held);
				String heldId = held.tokenId();
				return ((unshared && heldId != null) ? this.writes.revokeQuietly(heldId, held) : Mono.<Void>empty())
					.thenReturn(Outcome.adopted(row.token()));
			}
			if (!TokenAdoption.sameValue(row.token(), held) && this.adoption.usable(held)) {
				// the stored token was refused or has run out, and this instance holds a
				// usable one that it could not store when it obtained it
				logger.warn("The C2M long-term token store " + getStore() + " holds " + row.token().tokenId()
						+ ", which can no longer be used; storing the one in use (" + held.tokenId() + ")");
				return this.writes.storeHeld(held, row.retired(), row.version());
			}
			if (this.revocation.isDue(row)) {
				return this.revocation.revokeIfDue().thenReturn(Outcome.UNCHANGED);
			}
			return Mono.just(Outcome.UNCHANGED);
		});
	}

	/**
	 * Revoke the token a rotation retired now, without waiting for its grace period: for
	 * a process that is the store's only user and is about to stop, after which nobody
	 * would revoke it.
	 * @return whether a retired token was revoked (or given up on) and its record cleared
	 */
	Mono<Boolean> revokeRetiredNow() {
		return this.revocation.revokeNow();
	}

	@Override
	public String toString() {
		return "LongTermTokenCoordinator[store=" + getStore() + ", key=" + this.calls.key() + "]";
	}

	/**
	 * How a token is revoked (a call to the server, announced by the manager).
	 */
	@FunctionalInterface
	interface Revoker {

		/**
		 * Revoke a token.
		 * @param tokenId the id of the token to revoke
		 * @param authority the token that authorizes the revocation
		 * @return completion, or the failure
		 */
		Mono<Void> revoke(String tokenId, LongTermToken authority);

	}

	/**
	 * What a step produced.
	 */
	enum Kind {

		/** Issued from the credential (and stored). */
		ISSUED,

		/** Taken from the store, where another instance (or an earlier run) put it. */
		ADOPTED,

		/**
		 * The source's own token, which it did not issue (a pre-provisioned one), now
		 * stored.
		 */
		PROVIDED,

		/** Rotated at the server (and stored). */
		ROTATED,

		/** Nothing changed. */
		UNCHANGED,

		/** Another instance holds the lease; nothing was done. */
		BUSY

	}

	/**
	 * The result of a step.
	 *
	 * @param kind what happened
	 * @param token the token to use from now on, or {@code null} for
	 * {@link Kind#UNCHANGED} and {@link Kind#BUSY}
	 * @param retired the token a rotation retired, if any
	 */
	record Outcome(Kind kind, @Nullable LongTermToken token, @Nullable RetiredToken retired) {

		/**
		 * The token to use from now on, for an outcome that carries one (adopted, issued,
		 * provided or rotated).
		 * @return the token
		 */
		LongTermToken requiredToken() {
			return Objects.requireNonNull(this.token, "an outcome without a token");
		}

		static final Outcome UNCHANGED = new Outcome(Kind.UNCHANGED, null, null);

		static final Outcome BUSY = new Outcome(Kind.BUSY, null, null);

		static Outcome adopted(LongTermToken token) {
			return new Outcome(Kind.ADOPTED, token, null);
		}

	}

}
