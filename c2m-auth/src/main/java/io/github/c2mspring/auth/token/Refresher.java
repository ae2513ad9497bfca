package io.github.c2mspring.auth.token;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.C2MToken;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One token of the {@link C2MTokenManager} and the request in flight to replace it, if
 * any, with its retry state. All of it is one immutable {@link State}, replaced by
 * compare-and-set: a caller decides on one snapshot and acts only if nothing changed
 * meanwhile, so a request is started only from the state that needed it (never a second
 * one after a token landed), an eviction removes only the token it was meant for, and a
 * failure seen by a caller always comes with its error.
 *
 * @param <T> the kind of token
 */
final class Refresher<T extends C2MToken> {

	private final C2MOperation operation;

	private final Supplier<Mono<T>> work;

	private final Function<T, Instant> refreshAtOf;

	private final RefresherOwner owner;

	private final AtomicReference<State<T>> state = new AtomicReference<>(State.empty());

	/**
	 * Create a refresher.
	 * @param operation the operation a failure is reported under
	 * @param work the request that obtains a new token
	 * @param refreshAtOf when a new token is replaced in the background, or {@code null}
	 * for never
	 * @param owner the manager's clock, expiry rule, retry policy and counters
	 */
	Refresher(C2MOperation operation, Supplier<Mono<T>> work, Function<T, Instant> refreshAtOf, RefresherOwner owner) {
		this.operation = operation;
		this.work = work;
		this.refreshAtOf = refreshAtOf;
		this.owner = owner;
	}

	/**
	 * The current state.
	 * @return the state
	 */
	@SuppressWarnings("NullAway") // never empty: set at construction, only ever swapped
									// for another state
	State<T> state() {
		return this.state.get();
	}

	/**
	 * The token held, usable or not.
	 * @return the token, or {@code null}
	 */
	@Nullable T token() {
		return state().token();
	}

	/**
	 * The token held, if it has more than the safety margin left; a token past its
	 * refresh point first starts its replacement in the background (unless one is in
	 * flight or retries are backing off). Before the refresh point it compares the
	 * reading with the deadlines computed when the token landed, and allocates nothing.
	 * @param now the current time, in nanoseconds since the epoch
	 * @return the token, or {@code null} if none is usable
	 */
	@Nullable T usableToken(long now) {
		State<T> current = state();
		if (now >= current.usableUntil()) {
			return null;
		}
		if (now >= current.refreshAt() && current.inFlight() == null
				&& current.backoff().allows(this.owner.clock().instant()) && start(current) != null) {
			this.owner.refreshingInBackground();
		}
		return current.token();
	}

	/**
	 * The token for a caller that found none usable: join the request in flight, take a
	 * usable token that landed meanwhile, fail at once while retries are backing off, or
	 * start the request.
	 * @return the token, or the failure
	 */
	CompletableFuture<T> obtain() {
		while (true) {
			State<T> current = state();
			if (current.inFlight() != null) {
				return current.inFlight();
			}
			if (this.owner.now() < current.usableUntil()) {
				return CompletableFuture.completedFuture(current.token());
			}
			Instant now = this.owner.clock().instant();
			if (current.backoff().isBackingOff(now)) {
				this.owner.rejectedDuringBackoff();
				return CompletableFuture.failedFuture(current.backoff().rejection(now));
			}
			CompletableFuture<T> started = start(current);
			if (started != null) {
				return started;
			}
		}
	}

	/**
	 * Start the request, if the state is still the one the decision was taken on.
	 */
	private @Nullable CompletableFuture<T> start(State<T> observed) {
		CompletableFuture<T> future = new CompletableFuture<>();
		if (!this.state.compareAndSet(observed, observed.withInFlight(future))) {
			return null;
		}
		Mono<T> mono;
		try {
			mono = this.work.get();
		}
		catch (RuntimeException ex) {
			mono = Mono.error(ex);
		}
		mono.subscribe((value) -> landed(future, value), (ex) -> failed(future, ex), () -> {
			if (!future.isDone()) {
				finish(future, (current) -> current.withInFlight(null));
				future.completeExceptionally(new C2MAuthException(this.operation, 0,
						C2MAuthException.INVALID_RESPONSE_CODE, null, null, "no token was produced", null));
			}
		});
		return future;
	}

	private void landed(CompletableFuture<T> future, T value) {
		Instant next = this.refreshAtOf.apply(value);
		long refreshAt = (next != null) ? TokenClock.toNanos(next) : Long.MAX_VALUE;
		long usableUntil = this.owner.usableUntil(value);
		finish(future, (current) -> new State<>(value, usableUntil, refreshAt, Backoff.NONE, null));
		future.complete(value);
	}

	private void failed(CompletableFuture<T> future, Throwable ex) {
		C2MAuthException failure = TokenRules.asAuthException(ex, this.operation);
		Instant now = this.owner.clock().instant();
		this.owner.failed(failure);
		finish(future, (current) -> new State<>(current.token(), current.usableUntil(), current.refreshAt(),
				this.owner.backoffAfter(current.backoff(), failure, now), null));
		future.completeExceptionally(failure);
	}

	private void finish(CompletableFuture<T> future, Function<State<T>, State<T>> outcome) {
		this.state.updateAndGet((current) -> (current.inFlight() == future) ? outcome.apply(current) : current);
	}

	/**
	 * Replace the token held, if it is still {@code expected}.
	 * @param expected the token expected
	 * @param replacement the new token, or {@code null} to hold none
	 * @return whether it was replaced
	 */
	boolean replace(@Nullable T expected, @Nullable T replacement) {
		while (true) {
			State<T> current = state();
			if (current.token() != expected) {
				return false;
			}
			if (this.state.compareAndSet(current, withToken(current, replacement))) {
				return true;
			}
		}
	}

	/**
	 * Forget the token held if it has the given value (any token for {@code null}); a
	 * token that landed in its place stays.
	 * @param tokenValue the value, or {@code null}
	 */
	void evict(@Nullable String tokenValue) {
		while (true) {
			State<T> current = state();
			T token = current.token();
			if (token == null || (tokenValue != null && !token.tokenValue().equals(tokenValue))) {
				return;
			}
			if (this.state.compareAndSet(current, withToken(current, null))) {
				return;
			}
		}
	}

	/**
	 * Forget the token held if it has the given id.
	 * @param tokenId the id
	 * @return the token forgotten, or {@code null}
	 */
	@Nullable T evictId(String tokenId) {
		while (true) {
			State<T> current = state();
			T token = current.token();
			if (token == null || !tokenId.equals(token.tokenId())) {
				return null;
			}
			if (this.state.compareAndSet(current, withToken(current, null))) {
				return token;
			}
		}
	}

	private State<T> withToken(State<T> current, @Nullable T replacement) {
		long usableUntil = (replacement != null) ? this.owner.usableUntil(replacement) : Long.MIN_VALUE;
		return new State<>(replacement, usableUntil, current.refreshAt(), current.backoff(), current.inFlight());
	}

	/**
	 * Whether no request is in flight.
	 * @return whether idle
	 */
	boolean isIdle() {
		return state().inFlight() == null;
	}

	/**
	 * The token held, until when it may be handed out, when it is replaced in the
	 * background, the retry state and the request in flight, as one value. The deadlines
	 * are computed once, when the token lands, in nanoseconds since the epoch on the
	 * manager's clock.
	 *
	 * @param <T> the kind of token
	 * @param token the token held, or {@code null}
	 * @param usableUntil the first reading at which the token is no longer handed out
	 * ({@code Long.MIN_VALUE} without a token)
	 * @param refreshAt the first reading at which the token is replaced in the background
	 * ({@code Long.MAX_VALUE} for never)
	 * @param backoff the retry state
	 * @param inFlight the request in flight, or {@code null}
	 */
	record State<T extends C2MToken>(@Nullable T token, long usableUntil, long refreshAt, Backoff backoff,
			@Nullable CompletableFuture<T> inFlight) {

		static <T extends C2MToken> State<T> empty() {
			return new State<>(null, Long.MIN_VALUE, Long.MAX_VALUE, Backoff.NONE, null);
		}

		State<T> withInFlight(@Nullable CompletableFuture<T> future) {
			return new State<>(this.token, this.usableUntil, this.refreshAt, this.backoff, future);
		}

	}

}
