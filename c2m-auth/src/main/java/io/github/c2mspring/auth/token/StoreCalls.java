package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.TokenCipherException;
import io.github.c2mspring.auth.store.StoredToken;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.Assert;

/**
 * The calls of the {@link LongTermTokenCoordinator} to its store, for one key: those of a
 * {@link LongTermTokenStore#isBlocking() blocking} store run on the starter's own store
 * scheduler ({@link TokenExecution}), each bounded by the store timeout, and what follows
 * them runs on Reactor's parallel scheduler, so that the store threads only wait for the
 * store; a store that does not block is called on the caller's thread. Every failure is a
 * {@link C2MAuthException} with the code {@link #STORE_ERROR}, whose message and cause
 * carry no value the store was given.
 */
final class StoreCalls {

	/**
	 * A long quoted literal in a database's error message, which may be a token value.
	 */
	private static final Pattern QUOTED_VALUE = Pattern.compile("'[^'\\s]{16,}'");

	/** The code of a {@link C2MAuthException} that the store, not the server, failed. */
	static final String STORE_ERROR = "store_error";

	private final LongTermTokenStore store;

	private final String key;

	private final TokenExecution execution;

	/**
	 * Create the calls to a store for one key.
	 * @param store the store
	 * @param key the key of the token in the store (the client id)
	 * @param execution where the calls of a blocking store run and how long one may take
	 */
	StoreCalls(LongTermTokenStore store, String key, TokenExecution execution) {
		Assert.notNull(store, "store must not be null");
		Assert.hasText(key, "key must not be empty");
		Assert.notNull(execution, "execution must not be null");
		this.store = store;
		this.key = key;
		this.execution = execution;
	}

	LongTermTokenStore store() {
		return this.store;
	}

	String key() {
		return this.key;
	}

	/**
	 * Read the key's entry.
	 * @param operation the operation the read is part of
	 * @return the entry, if any
	 */
	Mono<Optional<StoredToken>> load(C2MOperation operation) {
		return call(operation, () -> this.store.load(this.key));
	}

	<T> Mono<T> call(C2MOperation operation, Callable<T> step) {
		return call(operation, null, step);
	}

	/**
	 * Call the store.
	 * @param operation the operation the call is part of
	 * @param written the token value the call writes, masked in a failure's message, or
	 * {@code null}
	 * @param step the call
	 * @return what the call returned, or the failure
	 */
	<T> Mono<T> call(C2MOperation operation, @Nullable String written, Callable<T> step) {
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
						+ " (the store timeout); the step is given up and tried afresh later",
				null, false, C2MSetting.STORE_TIMEOUT);
	}

	/**
	 * The store's failure, its message and cause masked: a driver may quote the value it
	 * could not write (the token, sealed or, under allow-plaintext, not), so the failure
	 * carries a copy of the driver's exception with such values masked and its stack
	 * trace, not the exception.
	 */
	private C2MAuthException storeFailure(C2MOperation operation, Throwable ex, @Nullable String written) {
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

}
