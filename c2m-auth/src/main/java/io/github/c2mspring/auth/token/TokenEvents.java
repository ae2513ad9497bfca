package io.github.c2mspring.auth.token;

import java.util.List;
import java.util.function.Consumer;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link C2MTokenManager} announces what happened: its event listeners, called in
 * order (one that throws is logged and the next is called), and the last failure.
 */
final class TokenEvents {

	private static final Log logger = LogFactory.getLog(C2MTokenManager.class);

	private final Object source;

	private final String client;

	private final List<Consumer<C2MTokenEvent>> listeners;

	private final TokenClock clock;

	private volatile C2MTokenDiagnostics.@Nullable Failure lastFailure;

	TokenEvents(Object source, String client, List<Consumer<C2MTokenEvent>> listeners, TokenClock clock) {
		this.source = source;
		this.client = client;
		this.listeners = List.copyOf(listeners);
		this.clock = clock;
	}

	/**
	 * The last failure recorded.
	 * @return the failure, or {@code null}
	 */
	C2MTokenDiagnostics.@Nullable Failure lastFailure() {
		return this.lastFailure;
	}

	/**
	 * Record a failure as the last one and announce it.
	 * @param ex the failure
	 */
	void failed(C2MAuthException ex) {
		this.lastFailure = new C2MTokenDiagnostics.Failure(ex, this.clock.instant());
		publish(C2MTokenEvent.Type.FAILURE, null, null, ex.getOperation(), ex);
	}

	/**
	 * Announce an event.
	 * @param type what happened
	 * @param tokenId the token concerned, or {@code null}
	 * @param previousTokenId the token it replaced, or {@code null}
	 */
	void publish(C2MTokenEvent.Type type, @Nullable String tokenId, @Nullable String previousTokenId) {
		publish(type, tokenId, previousTokenId, null, null);
	}

	private void publish(C2MTokenEvent.Type type, @Nullable String tokenId, @Nullable String previousTokenId,
			@Nullable C2MOperation operation, @Nullable C2MAuthException exception) {
		if (this.listeners.isEmpty()) {
			return;
		}
		C2MTokenEvent event = new C2MTokenEvent(this.source, this.client, type, tokenId, previousTokenId, operation,
				exception);
		for (Consumer<C2MTokenEvent> listener : this.listeners) {
			try {
				listener.accept(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A C2M token event listener failed on " + type + "; the token manager carries on", ex);
			}
		}
	}

}
