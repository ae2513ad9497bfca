package io.github.c2mspring.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a test class with BlockHound installed: a blocking call on a non-blocking thread
 * (a Netty event loop, Reactor's parallel scheduler) fails where it happens and, since
 * the starter may swallow that failure (a background refresh, a check), also fails the
 * test that was running. Tagged {@code blockhound}: the build runs these classes in a JVM
 * of their own (see the surefire executions of this module), since an installation lasts
 * as long as the JVM.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("blockhound")
@ExtendWith(BlockHoundInstalled.Extension.class)
public @interface BlockHoundInstalled {

	/**
	 * Installs BlockHound once per JVM, checks that it works, and fails a test during
	 * which it saw a blocking call.
	 */
	final class Extension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {

		private static final List<Throwable> violations = new CopyOnWriteArrayList<>();

		private static boolean installed;

		@Override
		public void beforeAll(ExtensionContext context) {
			install();
		}

		@Override
		public void beforeEach(ExtensionContext context) {
			violations.clear();
		}

		@Override
		public void afterEach(ExtensionContext context) {
			List<Throwable> seen = List.copyOf(violations);
			violations.clear();
			if (!seen.isEmpty()) {
				// each violation with the stack of the call that blocked, where it
				// happened
				AssertionError failure = new AssertionError("blocking call(s) on a non-blocking thread: "
						+ seen.stream().map(Throwable::getMessage).toList(), seen.get(0));
				seen.stream().skip(1).forEach(failure::addSuppressed);
				throw failure;
			}
		}

		private static synchronized void install() {
			if (installed) {
				return;
			}
			BlockHound.install((builder) -> builder
				// Netty loads its native transport from its jar once per JVM, on the
				// thread of the first
				// connection, whichever that is
				.allowBlockingCallsInside("io.netty.util.internal.NativeLibraryLoader", "load")
				// Reactor refuses block() on such a thread before it blocks, and the
				// starter could swallow
				// that refusal: a block() is recorded as a blocking call too
				.markAsBlocking("reactor.core.publisher.BlockingSingleSubscriber", "blockingGet",
						"()Ljava/lang/Object;")
				.markAsBlocking("reactor.core.publisher.BlockingSingleSubscriber", "blockingGet",
						"(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;")
				.blockingMethodCallback(Extension::blocked));
			installed = true;
			// a probe: an installation that does not work (a JVM without the flag it
			// needs) fails
			// every test instead of letting them pass unchecked
			Throwable probe = null;
			try {
				Mono.fromCallable(() -> {
					Thread.sleep(1);
					return true;
				}).subscribeOn(Schedulers.parallel()).block();
			}
			catch (Throwable ex) {
				probe = ex;
			}
			violations.clear();
			if (!(Exceptions.unwrap(probe) instanceof BlockingOperationError)) {
				throw new IllegalStateException("BlockHound is not effective in this JVM (it needs "
						+ "-XX:+AllowRedefinitionToAddDeleteMethods on Java 13+)", probe);
			}
		}

		private static void blocked(BlockingMethod method) {
			BlockingOperationError error = new BlockingOperationError(method);
			violations.add(new AssertionError(method + " on " + Thread.currentThread().getName(), error));
			throw error;
		}

	}

}
