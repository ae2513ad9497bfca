package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The long-term token of one {@link C2MTokenManager}: held in a single-flight
 * {@link Refresher}, obtained through a {@link LongTermTokenCoordinator} (adopted from
 * the store or issued), and looked after in the background, in a single flight, at most
 * once per check interval or when due: rotated (see {@link LongTermRotation}), or checked
 * against the store (a token another instance stored is adopted, a retired token due is
 * revoked).
 */
final class LongTermMaintainer {

	private static final Log logger = LogFactory.getLog(C2MTokenManager.class);

	private final Refresher<LongTermToken> holder;

	private final LongTermTokenSource source;

	private final LongTermTokenCoordinator coordinator;

	private final LongTermRotation rotation;

	private final TokenRules rules;

	private final Duration checkInterval;

	private final AtomicReference<CompletableFuture<Void>> maintenance = new AtomicReference<>();

	/**
	 * A token adopted from the store at first need, counted once it yields a short-term
	 * token.
	 */
	private final AtomicReference<LongTermToken> unprovenAdoption = new AtomicReference<>();

	private volatile Instant nextCheckAt = Instant.MAX;

	LongTermMaintainer(C2MAuthClient client, LongTermTokenSource source, StoreSettings store,
			LongTermRotation.@Nullable Settings rotation, TokenExecution execution, TokenRules rules,
			Supplier<Mono<ShortTermToken>> writer) {
		this.source = source;
		this.rules = rules;
		this.checkInterval = store.checkInterval();
		this.holder = new Refresher<>(C2MOperation.ISSUE_LONG_TERM_TOKEN, this::obtain, (token) -> null, rules);
		this.coordinator = new LongTermTokenCoordinator(store.store(), store.key(), source,
				rules.tokenClock().storeClock(), store.lease(), rules::isUsable,
				(tokenId, authority) -> LongTermRotation.revokeRetired(client, rules, tokenId, authority), execution);
		this.rotation = new LongTermRotation(client, rotation, this.coordinator, this.holder, rules, writer,
				this::check, this::adopt, store.checkInterval());
	}

	LongTermTokenStore store() {
		return this.coordinator.getStore();
	}

	LongTermTokenCoordinator coordinator() {
		return this.coordinator;
	}

	/**
	 * The token held, usable or not.
	 * @return the token, or {@code null}
	 */
	@Nullable LongTermToken current() {
		return this.holder.token();
	}

	/**
	 * The token, obtained if none is usable; a usable one first starts a rotation or a
	 * check in the background when due.
	 * @return the token
	 */
	Mono<LongTermToken> get() {
		LongTermToken current = this.holder.token();
		if (current != null && this.rules.isUsable(current)) {
			Instant now = this.rules.tokenClock().instant();
			if (!now.isBefore(this.nextCheckAt) || this.rotation.isDue(current, now)) {
				maintain(current);
			}
			return Mono.just(current);
		}
		return Mono.fromFuture(this.holder::obtain, true);
	}

	/**
	 * Look after the held token now, joining the check or rotation in flight.
	 * @return completion
	 */
	Mono<Void> checkNow() {
		LongTermToken current = this.holder.token();
		if (current == null) {
			return Mono.empty();
		}
		return Mono.fromFuture(() -> maintain(current), true);
	}

	boolean isIdle() {
		return this.holder.isIdle() && this.maintenance.get() == null;
	}

	/**
	 * A short-term token was obtained with this long-term token: an adoption at first
	 * need is proven and counted.
	 * @param token the long-term token
	 */
	void proven(LongTermToken token) {
		if (this.unprovenAdoption.compareAndSet(token, null)) {
			this.rules.statistics().adoptions.increment();
		}
	}

	/**
	 * The server refused the held token (401), or it was revoked: drop it from the
	 * store's view and the source, and forget it.
	 * @param refused the token
	 * @param forget whether to stop holding it
	 */
	void refused(LongTermToken refused, boolean forget) {
		this.coordinator.refused(refused);
		this.source.invalidate(refused);
		this.unprovenAdoption.compareAndSet(refused, null);
		if (forget) {
			this.holder.replace(refused, null);
		}
	}

	/**
	 * A replacement for a token the server refused on an exchange: a token another
	 * instance stored, else (where the source can issue) a new one.
	 * @param ex the refusal
	 * @param refused the token
	 * @return the replacement, or the refusal
	 */
	Mono<LongTermToken> replacement(C2MAuthException ex, LongTermToken refused) {
		refused(refused, false);
		if (!this.source.canIssue()) {
			// nothing here can issue another: only a token another instance stored can
			// take its place
			return this.coordinator.storedReplacement()
				.doOnNext((stored) -> adopt(refused, stored))
				.switchIfEmpty(Mono.error(ex));
		}
		logger.warn("The C2M long-term token " + refused.tokenId() + " was refused [" + ex.getCode()
				+ "]; adopting the stored one if another instance replaced it, else issuing one from the configured "
				+ this.source.description());
		this.holder.replace(refused, null);
		return get();
	}

	private Mono<LongTermToken> obtain() {
		LongTermToken previous = this.holder.token();
		return this.coordinator.obtain().map((outcome) -> {
			LongTermToken token = outcome.requiredToken();
			boolean issued = outcome.kind() == LongTermTokenCoordinator.Kind.ISSUED;
			if (issued) {
				this.rules.statistics().issuances.increment();
			}
			else if (outcome.kind() == LongTermTokenCoordinator.Kind.ADOPTED) {
				// it may be left from an earlier run, unknown to the server: counted when
				// it works
				this.unprovenAdoption.set(token);
			}
			String origin = switch (outcome.kind()) {
				case ISSUED -> "issued from " + this.source.description();
				case ADOPTED -> "from " + this.coordinator.getStore();
				default -> "the configured " + this.source.description();
			};
			logger.info((issued ? "Obtained C2M long-term token " : "Adopted C2M long-term token ") + token.tokenId()
					+ " (" + origin + ", scopes " + token.scopes() + ", expires " + token.expiresAt() + ")");
			this.rules.events()
				.publish(issued ? C2MTokenEvent.Type.LONG_TERM_ISSUED : C2MTokenEvent.Type.LONG_TERM_ADOPTED,
						token.tokenId(), (previous != null) ? previous.tokenId() : null);
			this.nextCheckAt = this.rules.tokenClock().instant().plus(this.checkInterval);
			return token;
		}).doOnError((ex) -> this.rules.statistics().issuanceFailures.increment());
	}

	/**
	 * Rotate or check, in a single flight: every caller joins the one in progress.
	 */
	private CompletableFuture<Void> maintain(LongTermToken held) {
		while (true) {
			CompletableFuture<Void> running = this.maintenance.get();
			if (running != null) {
				return running;
			}
			CompletableFuture<Void> future = new CompletableFuture<>();
			if (!this.maintenance.compareAndSet(null, future)) {
				continue;
			}
			Mono<LongTermTokenCoordinator.Outcome> work;
			try {
				work = this.rotation.isDue(held, this.rules.tokenClock().instant()) ? this.rotation.rotate(held)
						: check(held);
			}
			catch (RuntimeException ex) {
				work = Mono.error(ex);
			}
			work.subscribe(null, (ex) -> finishMaintenance(future), () -> finishMaintenance(future));
			return future;
		}
	}

	private void finishMaintenance(CompletableFuture<Void> future) {
		this.nextCheckAt = this.rules.tokenClock().instant().plus(this.checkInterval);
		this.maintenance.set(null);
		future.complete(null);
	}

	private Mono<LongTermTokenCoordinator.Outcome> check(LongTermToken held) {
		TokenPolicy policy = this.rules.policy();
		return this.coordinator.check(held, policy.revokeGrace(), policy.revokeAfterRotation()).doOnNext((outcome) -> {
			if (outcome.kind() == LongTermTokenCoordinator.Kind.ADOPTED) {
				adopt(held, outcome.requiredToken());
			}
		}).doOnError((ex) -> {
			C2MAuthException failure = TokenRules.asAuthException(ex, C2MOperation.REVOKE_TOKEN);
			this.rules.events().failed(failure);
			logger.warn("Could not check the C2M long-term token store; the held token " + held.tokenId()
					+ " stays in use: " + failure.getMessage());
		});
	}

	private void adopt(LongTermToken held, LongTermToken adopted) {
		if (!this.holder.replace(held, adopted)) {
			return;
		}
		this.rules.statistics().adoptions.increment();
		this.rotation.reset();
		logger.info("Adopted the C2M long-term token " + adopted.tokenId() + " from " + this.coordinator.getStore()
				+ " in place of " + held.tokenId() + " (expires " + adopted.expiresAt() + ")");
		this.rules.events().publish(C2MTokenEvent.Type.LONG_TERM_ADOPTED, adopted.tokenId(), held.tokenId());
	}

	/**
	 * The point of a token's life at a fraction of it.
	 * @param issuedAt when the token was issued
	 * @param expiresAt when it expires
	 * @param fraction the fraction
	 * @return the instant
	 */
	static Instant pointOfLife(Instant issuedAt, Instant expiresAt, double fraction) {
		Duration life = Duration.between(issuedAt, expiresAt);
		return issuedAt.plusMillis((long) (life.toMillis() * fraction));
	}

	/**
	 * Where the long-term token is kept.
	 *
	 * @param store the store
	 * @param key the key of the token in the store (the client id)
	 * @param lease how long one instance may take to issue or rotate before another may
	 * take over
	 * @param checkInterval how often, at most, a use looks at the store
	 */
	record StoreSettings(LongTermTokenStore store, String key, Duration lease, Duration checkInterval) {
	}

}
