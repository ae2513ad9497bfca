package io.github.c2mspring.autoconfigure;

import java.time.Duration;

import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.token.C2MTokenManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Looks after the long-term token every {@code c2m.auth.store.check-interval} while the
 * application runs, so that an idle instance also adopts a token another instance rotated
 * to, revokes a retired token once its grace period is over, and rotates when due. Does
 * nothing until a long-term token is held. Runs on Reactor's parallel scheduler; a check
 * that is still running when the next is due is skipped. When the application closes with
 * the in-memory store, which no other instance shares, it revokes a token retired by a
 * rotation at once, since no one would be left to revoke it at the end of its grace
 * period.
 */
class C2MLongTermTokenChecker implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(C2MLongTermTokenChecker.class);

	private final C2MTokenManager tokenManager;

	private final Duration interval;

	private final Duration shutdownTimeout;

	private volatile @Nullable Disposable schedule;

	C2MLongTermTokenChecker(C2MTokenManager tokenManager, Duration interval, Duration shutdownTimeout) {
		this.tokenManager = tokenManager;
		this.interval = interval;
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public void start() {
		this.schedule = Flux.interval(this.interval, Schedulers.parallel())
			.onBackpressureDrop()
			.concatMap((tick) -> this.tokenManager.checkLongTermToken().onErrorResume((ex) -> {
				logger.warn("The background check of the C2M long-term token failed: " + ex.getMessage());
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable running = this.schedule;
		if (running != null) {
			running.dispose();
			this.schedule = null;
		}
	}

	/**
	 * After every lifecycle bean has stopped (the web server too, so no request starts
	 * another rotation), revoke a token retired in its grace period if nobody else shares
	 * the store.
	 */
	@Override
	public void destroy() {
		if (!(this.tokenManager.getLongTermTokenStore() instanceof InMemoryLongTermTokenStore)) {
			return;
		}
		try {
			this.tokenManager.revokeRetiredLongTermToken().block(this.shutdownTimeout);
		}
		catch (RuntimeException ex) {
			logger.warn("The retired C2M long-term token was not revoked within " + this.shutdownTimeout
					+ " at shutdown: " + ex.getMessage());
		}
	}

	@Override
	public boolean isRunning() {
		return this.schedule != null;
	}

}
