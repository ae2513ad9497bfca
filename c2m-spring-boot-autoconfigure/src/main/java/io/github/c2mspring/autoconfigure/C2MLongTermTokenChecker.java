package io.github.c2mspring.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.token.C2MTokenManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Looks after the long-term token every {@code c2m.auth.store.check-interval} while the
 * application runs, so that an idle instance also adopts a token another instance rotated
 * to, revokes a retired token once its grace period is over, and rotates when due. Looks
 * only at the managers created so far (see {@link C2MCreatedTokenManagers}: a manager is
 * built at its first use), and does nothing for one until it holds a long-term token.
 * Ticks on one daemon thread of its own ({@value #THREAD_NAME}), started with the first
 * manager, which only starts each check (the check itself runs where the manager runs
 * it), so that starting the application does not initialize Reactor's publishers and
 * schedulers for a first tick that is a whole interval away; a check that is still
 * running when the next is due is skipped. When the application closes with the in-memory
 * store, which no other instance shares, it revokes a token retired by a rotation at
 * once, since no one would be left to revoke it at the end of its grace period.
 */
class C2MLongTermTokenChecker implements SmartLifecycle, DisposableBean {

	static final String THREAD_NAME = "c2m-store-check";

	private static final Log logger = LogFactory.getLog(C2MLongTermTokenChecker.class);

	private final C2MCreatedTokenManagers tokenManagers;

	private final Duration interval;

	private final Duration shutdownTimeout;

	private final Set<C2MTokenManager> checking = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ScheduledExecutorService schedule;

	private volatile boolean running;

	C2MLongTermTokenChecker(C2MCreatedTokenManagers tokenManagers, Duration interval, Duration shutdownTimeout) {
		this.tokenManagers = tokenManagers;
		this.interval = interval;
		this.shutdownTimeout = shutdownTimeout;
		tokenManagers.whenCreated((manager) -> {
			if (this.running) {
				schedule();
			}
		});
	}

	/**
	 * Starts ticking now if a token manager exists, otherwise when the first one is
	 * created.
	 */
	@Override
	public void start() {
		this.running = true;
		if (!this.tokenManagers.get().isEmpty()) {
			schedule();
		}
	}

	private synchronized void schedule() {
		if (this.schedule != null || !this.running) {
			return;
		}
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, THREAD_NAME);
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		long period = this.interval.toNanos();
		executor.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
		this.schedule = executor;
	}

	private void check() {
		this.tokenManagers.get().forEach(this::check);
	}

	private void check(C2MTokenManager tokenManager) {
		if (!this.checking.add(tokenManager)) {
			return;
		}
		try {
			tokenManager.checkLongTermToken()
				.doFinally((signal) -> this.checking.remove(tokenManager))
				.subscribe((done) -> {
				}, (ex) -> logger.warn("The background check of the C2M long-term token failed: " + ex.getMessage()));
		}
		catch (RuntimeException ex) {
			this.checking.remove(tokenManager);
			logger.warn("The background check of the C2M long-term token failed: " + ex.getMessage());
		}
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		ScheduledExecutorService ticking = this.schedule;
		if (ticking != null) {
			ticking.shutdownNow();
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
		this.tokenManagers.get().forEach(this::revokeRetired);
	}

	private void revokeRetired(C2MTokenManager tokenManager) {
		if (!(tokenManager.getLongTermTokenStore() instanceof InMemoryLongTermTokenStore)) {
			return;
		}
		try {
			tokenManager.revokeRetiredLongTermToken().block(this.shutdownTimeout);
		}
		catch (RuntimeException ex) {
			logger.warn("The retired C2M long-term token was not revoked within " + this.shutdownTimeout
					+ " at shutdown: " + ex.getMessage());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
