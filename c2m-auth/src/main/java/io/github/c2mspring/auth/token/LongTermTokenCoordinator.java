package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import io.github.c2mspring.auth.store.TokenCipherException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.Assert;

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
 * token. The calls of a {@link LongTermTokenStore#isBlocking() blocking} store run on the
 * starter's own store scheduler ({@link TokenExecution}), each bounded by the store
 * timeout, and what follows them runs on Reactor's parallel scheduler, so that the store
 * threads only wait for the store; a store that does not block is called on the caller's
 * thread.
 */
final class LongTermTokenCoordinator {

	private static final Log logger = LogFactory.getLog(LongTermTokenCoordinator.class);

	/**
	 * A long quoted literal in a database's error message, which may be a token value.
	 */
	private static final Pattern QUOTED_VALUE = Pattern.compile("'[^'\\s]{16,}'");

	/** The code of a {@link C2MAuthException} that the store, not the server, failed. */
	static final String STORE_ERROR = "store_error";

	/** How often an instance waiting for another's issuance looks at the store. */
	static final Duration POLL_INTERVAL = Duration.ofMillis(200);

	private final LongTermTokenStore store;

	private final String key;

	private final LongTermTokenSource source;

	private final Clock clock;

	private final Duration lease;

	private final Predicate<LongTermToken> usable;

	private final Revoker revoker;

	private final TokenExecution execution;

	private final String instance = UUID.randomUUID().toString();

	private final AtomicLong leases = new AtomicLong();

	private volatile String refusedValue;

	/**
	 * A token this instance issued and could not store yet: its own, shared with no one.
	 */
	private volatile String unstoredValue;

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
		Assert.notNull(store, "store must not be null");
		Assert.hasText(key, "key must not be empty");
		Assert.notNull(source, "source must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.isTrue(lease != null && !lease.isNegative() && !lease.isZero(), "lease must be positive");
		Assert.notNull(usable, "usable must not be null");
		Assert.notNull(revoker, "revoker must not be null");
		Assert.notNull(execution, "execution must not be null");
		this.store = store;
		this.key = key;
		this.source = source;
		this.clock = clock;
		this.lease = lease;
		this.usable = usable;
		this.revoker = revoker;
		this.execution = execution;
	}

	LongTermTokenStore getStore() {
		return this.store;
	}

	// ---------------------------------------------------------------- obtain

	/**
	 * A token for an instance that holds none usable: a stored one that is usable and not
	 * refused (adopted), or one issued by the instance that takes the lease and stored;
	 * the others wait for it and adopt it.
	 * @return the token and how it was obtained
	 */
	Mono<Outcome> obtain() {
		Instant giveUpAt = this.clock.instant().plus(this.lease.multipliedBy(2));
		long polls = this.lease.multipliedBy(2).toMillis() / POLL_INTERVAL.toMillis();
		return obtain(giveUpAt, polls);
	}

	private Mono<Outcome> obtain(Instant giveUpAt, long pollsLeft) {
		return load(C2MOperation.ISSUE_LONG_TERM_TOKEN).flatMap((stored) -> {
			Optional<LongTermToken> adoptable = stored.map(StoredToken::token).filter(this::adoptable);
			if (adoptable.isPresent()) {
				return Mono.just(Outcome.adopted(adoptable.get()));
			}
			if (!this.source.canIssue() && (stored.isPresent() || this.refusedValue != null)) {
				return Mono.error(cannotIssue(stored.map(StoredToken::token).orElse(null)));
			}
			return underLease(C2MOperation.ISSUE_LONG_TERM_TOKEN, this::issue).switchIfEmpty(Mono.defer(() -> {
				if (pollsLeft <= 0 || !this.clock.instant().isBefore(giveUpAt)) {
					return Mono.error(new C2MAuthException(C2MOperation.ISSUE_LONG_TERM_TOKEN, 0, "store_lease_held",
							null, null, "another instance has held the token store's lease for "
									+ this.lease.multipliedBy(2) + " without storing a long-term token",
							null));
				}
				return Mono.delay(POLL_INTERVAL).then(obtain(giveUpAt, pollsLeft - 1));
			}));
		});
	}

	private Mono<Outcome> issue() {
		return load(C2MOperation.ISSUE_LONG_TERM_TOKEN).flatMap((stored) -> {
			Optional<LongTermToken> adoptable = stored.map(StoredToken::token).filter(this::adoptable);
			if (adoptable.isPresent()) {
				return Mono.just(Outcome.adopted(adoptable.get()));
			}
			boolean issuing = this.source.canIssue();
			RetiredToken retired = stored.map(StoredToken::retired).orElse(null);
			return this.source.obtain()
				.flatMap((token) -> store(C2MOperation.ISSUE_LONG_TERM_TOKEN, token, retired, stored,
						issuing ? Kind.ISSUED : Kind.PROVIDED, null));
		});
	}

	/**
	 * A usable token another instance stored in place of the one refused, if there is
	 * one: for a source that cannot issue.
	 * @return the stored token, or empty
	 */
	Mono<LongTermToken> storedReplacement() {
		return load(C2MOperation.ISSUE_LONG_TERM_TOKEN)
			.flatMap((stored) -> Mono.justOrEmpty(stored.map(StoredToken::token).filter(this::adoptable)));
	}

	/**
	 * Learn that the server refused a token (revoked or expired), so that it is never
	 * adopted again.
	 * @param refused the refused token
	 */
	void refused(LongTermToken refused) {
		this.refusedValue = refused.tokenValue();
	}

	// ---------------------------------------------------------------- rotate

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
		// the row is read before the lease (most instances stop there) and again under it
		return load(C2MOperation.ROTATE_LONG_TERM_TOKEN).flatMap((seen) -> {
			Optional<LongTermToken> newer = storedInPlaceOf(held, seen);
			if (newer.isPresent()) {
				return Mono.just(Outcome.adopted(newer.get()));
			}
			if (waitsForRetired(seen, grace)) {
				return underLease(C2MOperation.REVOKE_TOKEN, this::revokeRetired).thenReturn(Outcome.BUSY);
			}
			return prepare.flatMap((prepared) -> underLease(C2MOperation.ROTATE_LONG_TERM_TOKEN,
					() -> load(C2MOperation.ROTATE_LONG_TERM_TOKEN).flatMap((stored) -> {
						Optional<LongTermToken> storedNewer = storedInPlaceOf(held, stored);
						if (storedNewer.isPresent()) {
							return Mono.just(Outcome.adopted(storedNewer.get()));
						}
						if (waitsForRetired(stored, grace)) {
							return Mono.just(Outcome.BUSY);
						}
						RetiredToken earlier = stored.map(StoredToken::retired).orElse(null);
						if (earlier != null) {
							logger.warn("The retired C2M long-term token " + earlier.tokenId()
									+ " could not be revoked " + "since " + earlier.revokeAt()
									+ "; the rotation goes ahead and it stays valid " + "until it expires");
						}
						return rotator.apply(prepared).flatMap((fresh) -> {
							RetiredToken retired = (revokeHeld && held.tokenId() != null)
									? new RetiredToken(held.tokenId(), this.clock.instant().plus(grace)) : null;
							return store(C2MOperation.ROTATE_LONG_TERM_TOKEN, fresh, retired, stored, Kind.ROTATED,
									held);
						});
					})))
				.defaultIfEmpty(Outcome.BUSY);
		});
	}

	private Optional<LongTermToken> storedInPlaceOf(LongTermToken held, Optional<StoredToken> row) {
		return row.map(StoredToken::token).filter((token) -> isNewer(token, held));
	}

	/**
	 * Whether a rotation waits for the row's retired token to be revoked first. It stops
	 * waiting once the revocation has been due for a grace period (at least a lease)
	 * without succeeding: the rotation matters more than a token that expires anyway.
	 */
	private boolean waitsForRetired(Optional<StoredToken> row, Duration grace) {
		RetiredToken retired = row.map(StoredToken::retired).orElse(null);
		Duration patience = (grace.compareTo(this.lease) > 0) ? grace : this.lease;
		return retired != null && this.clock.instant().isBefore(retired.revokeAt().plus(patience));
	}

	private boolean isNewer(LongTermToken stored, LongTermToken held) {
		return !sameValue(stored, held) && adoptable(stored);
	}

	// ---------------------------------------------------------------- check

	/**
	 * Compare the held token with the store: adopt a usable token another instance stored
	 * in its place, revoke a retired token whose grace period is over (under the lease,
	 * once for the fleet), and put the held token back if the entry is gone.
	 * @param held the token this instance holds
	 * @return {@link Kind#ADOPTED} with the stored token, or {@link Kind#UNCHANGED}
	 */
	Mono<Outcome> check(LongTermToken held) {
		return load(C2MOperation.REVOKE_TOKEN).flatMap((stored) -> {
			if (stored.isEmpty()) {
				logger.warn("The C2M long-term token store " + this.store + " holds no token for " + this.key
						+ "; storing the one in use (" + held.tokenId() + ")");
				return storeHeld(held, null, 0);
			}
			StoredToken row = stored.get();
			if (isNewer(row.token(), held)) {
				// a token this instance issued and never stored is shared with no one: it
				// goes
				boolean unshared = held.tokenValue().equals(this.unstoredValue) && held.tokenId() != null;
				this.unstoredValue = null;
				return (unshared ? revokeQuietly(held.tokenId(), held) : Mono.<Void>empty())
					.thenReturn(Outcome.adopted(row.token()));
			}
			if (!sameValue(row.token(), held) && this.usable.test(held)) {
				// the stored token was refused or has run out, and this instance holds a
				// usable one
				// that it could not store when it obtained it
				logger.warn("The C2M long-term token store " + this.store + " holds " + row.token().tokenId()
						+ ", which can no longer be used; storing the one in use (" + held.tokenId() + ")");
				return storeHeld(held, row.retired(), row.version());
			}
			if (row.retired() != null && row.retired().isDue(this.clock.instant())) {
				return underLease(C2MOperation.REVOKE_TOKEN, this::revokeRetired).thenReturn(Outcome.UNCHANGED);
			}
			return Mono.just(Outcome.UNCHANGED);
		});
	}

	private Mono<Outcome> storeHeld(LongTermToken held, RetiredToken retired, long version) {
		return call(C2MOperation.REVOKE_TOKEN, held.tokenValue(),
				() -> this.store.compareAndSet(this.key, held, retired, version))
			.doOnNext((stored) -> {
				if (stored && held.tokenValue().equals(this.unstoredValue)) {
					this.unstoredValue = null;
				}
			})
			.thenReturn(Outcome.UNCHANGED);
	}

	/**
	 * Revoke the token a rotation retired now, without waiting for its grace period: for
	 * a process that is the store's only user and is about to stop, after which nobody
	 * would revoke it.
	 * @return whether a retired token was revoked (or given up on) and its record cleared
	 */
	Mono<Boolean> revokeRetiredNow() {
		return underLease(C2MOperation.REVOKE_TOKEN, () -> revokeRetired(true)).defaultIfEmpty(false);
	}

	private Mono<Boolean> revokeRetired() {
		return revokeRetired(false);
	}

	private Mono<Boolean> revokeRetired(boolean evenBeforeItIsDue) {
		return load(C2MOperation.REVOKE_TOKEN).flatMap((stored) -> {
			StoredToken row = stored.orElse(null);
			if (row == null || row.retired() == null
					|| (!evenBeforeItIsDue && !row.retired().isDue(this.clock.instant()))) {
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
						? call(C2MOperation.REVOKE_TOKEN,
								() -> this.store.compareAndSet(this.key, row.token(), null, row.version()))
						: Mono.just(false));
		});
	}

	// ---------------------------------------------------------------- store steps

	/**
	 * Store a token obtained under the lease. If another instance wrote first (this one's
	 * lease ran out while it worked), converge on the stored token when it is usable,
	 * revoking the one obtained; if only the version moved (the stored token is still
	 * {@code replacing}), store over it. If the store cannot be written, a rotated token
	 * is revoked and the rotation fails (the held token stays stored and in use), while
	 * an issued token is kept in use by this instance, since its credential may not issue
	 * again (a one-time code), and stored at the next check.
	 */
	private Mono<Outcome> store(C2MOperation operation, LongTermToken token, RetiredToken retired,
			Optional<StoredToken> seen, Kind kind, LongTermToken replacing) {
		return call(operation, token.tokenValue(), () -> {
			Optional<StoredToken> current = seen;
			for (int attempt = 0; attempt < 3; attempt++) {
				long version = current.map(StoredToken::version).orElse(0L);
				if (this.store.compareAndSet(this.key, token, retired, version)) {
					return Optional.<LongTermToken>empty();
				}
				current = this.store.load(this.key);
				Optional<LongTermToken> theirs = current.map(StoredToken::token)
					.filter((stored) -> replacing == null || !sameValue(stored, replacing))
					.filter(this::adoptable);
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
		return load(operation).map(Optional::of)
			.onErrorResume((unreadable) -> Mono.just(Optional.empty()))
			.flatMap((reread) -> {
				boolean stored = reread.flatMap((row) -> row)
					.filter((row) -> sameValue(row.token(), token))
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

	private Mono<Void> revokeQuietly(String tokenId, LongTermToken authority) {
		return this.revoker.revoke(tokenId, authority).onErrorResume((ex) -> Mono.empty());
	}

	/**
	 * Run {@code work} holding the lease, and give it back afterwards (also on error or
	 * cancellation).
	 * @return what the work produced, or empty if another instance holds the lease
	 */
	private <T> Mono<T> underLease(C2MOperation operation, Supplier<Mono<T>> work) {
		// an owner per operation: two operations of this instance never share (and
		// release) one lease
		String owner = this.instance + "#" + this.leases.incrementAndGet();
		return Mono.usingWhen(call(operation, () -> {
			Instant now = this.clock.instant();
			return this.store.tryLease(this.key, owner, now, now.plus(this.lease));
		}), (taken) -> taken ? Mono.defer(work) : Mono.<T>empty(), (taken) -> taken ? call(operation, () -> {
			this.store.releaseLease(this.key, owner);
			return true;
		}) : Mono.empty());
	}

	private Mono<Optional<StoredToken>> load(C2MOperation operation) {
		return call(operation, () -> this.store.load(this.key));
	}

	private <T> Mono<T> call(C2MOperation operation, Callable<T> step) {
		return call(operation, null, step);
	}

	private <T> Mono<T> call(C2MOperation operation, String written, Callable<T> step) {
		Mono<T> call = Mono.fromCallable(step);
		if (this.store.isBlocking()) {
			Duration timeout = this.execution.getStoreTimeout();
			call = call.subscribeOn(this.execution.getStoreScheduler())
				.timeout(timeout, Schedulers.parallel())
				.onErrorMap(TimeoutException.class, (ex) -> storeTimeout(operation, timeout))
				.publishOn(Schedulers.parallel());
		}
		return call.onErrorMap((ex) -> !(ex instanceof C2MAuthException), (ex) -> storeFailure(operation, ex, written));
	}

	private C2MAuthException storeTimeout(C2MOperation operation, Duration timeout) {
		return new C2MAuthException(operation, 0, STORE_ERROR, null, null,
				"the long-term token store " + this.store + " did not answer within " + timeout
						+ " (the store timeout); the step is given up and tried " + "afresh later",
				null, false, C2MSetting.STORE_TIMEOUT);
	}

	/**
	 * The store's failure, its message and cause masked: a driver may quote the value it
	 * could not write (the token, sealed or, under allow-plaintext, not), so the failure
	 * carries a copy of the driver's exception with such values masked and its stack
	 * trace, not the exception.
	 */
	private C2MAuthException storeFailure(C2MOperation operation, Throwable ex, String written) {
		String detail = String.valueOf(ex.getMessage());
		if (written != null) {
			detail = detail.replace(written, "<masked>");
		}
		detail = QUOTED_VALUE.matcher(detail).replaceAll("'<masked>'");
		if (detail.length() > 300) {
			detail = detail.substring(0, 300) + "…";
		}
		StoreFailure cause = new StoreFailure(ex.getClass().getName() + ": " + detail, ex.getStackTrace());
		return new C2MAuthException(
				operation, 0, STORE_ERROR, null, null, "the long-term token store " + this.store + " failed ("
						+ ex.getClass().getSimpleName() + ": " + detail + ")",
				cause, false, TokenCipherException.settingsIn(ex));
	}

	/**
	 * A store's exception with its message masked, without the exceptions it wrapped.
	 */
	static final class StoreFailure extends RuntimeException {

		StoreFailure(String message, StackTraceElement[] stackTrace) {
			super(message, null, false, true);
			setStackTrace(stackTrace);
		}

	}

	private C2MAuthException cannotIssue(LongTermToken stored) {
		String which = (stored != null && stored.tokenId() != null) ? " " + stored.tokenId() : "";
		return new C2MAuthException(C2MOperation.ISSUE_LONG_TERM_TOKEN, 0, "long_term_token_expired", null, null,
				"the long-term token" + which + " expired or was refused and the configured "
						+ this.source.description() + " cannot issue another; configure a new one",
				null);
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

	private boolean adoptable(LongTermToken token) {
		return !token.tokenValue().equals(this.refusedValue) && this.usable.test(token);
	}

	private static boolean sameValue(LongTermToken a, LongTermToken b) {
		return a.tokenValue().equals(b.tokenValue());
	}

	@Override
	public String toString() {
		return "LongTermTokenCoordinator[store=" + this.store + ", key=" + this.key + "]";
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
	record Outcome(Kind kind, LongTermToken token, RetiredToken retired) {

		static final Outcome UNCHANGED = new Outcome(Kind.UNCHANGED, null, null);

		static final Outcome BUSY = new Outcome(Kind.BUSY, null, null);

		static Outcome adopted(LongTermToken token) {
			return new Outcome(Kind.ADOPTED, token, null);
		}

	}

}
