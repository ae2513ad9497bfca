package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.model.TokenResponse;
import io.github.c2mspring.auth.store.RetiredToken;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * The rotation of the long-term token, for the {@link LongTermMaintainer}: when it is
 * due, the one rotation under the store's lease (authorized by a {@code tokens:write}
 * short-term token), its outcome, and the retry delay after a failure.
 */
final class LongTermRotation {

	private static final Log logger = LogFactory.getLog(C2MTokenManager.class);

	static final String TOKENS_WRITE = "tokens:write";

	/**
	 * Longest lifetime believed, so that an absurd {@code expires_in} cannot overflow.
	 */
	static final Duration MAX_LIFETIME = Duration.ofDays(400);

	/**
	 * How many check intervals a rotation waits after the store failed to take the
	 * rotated token.
	 */
	private static final int STORE_FAILURE_PAUSE = 10;

	private final C2MAuthClient client;

	private final @Nullable Settings settings;

	private final LongTermTokenCoordinator coordinator;

	private final Refresher<LongTermToken> holder;

	private final TokenRules rules;

	private final Supplier<Mono<ShortTermToken>> writer;

	private final Function<LongTermToken, Mono<LongTermTokenCoordinator.Outcome>> check;

	private final BiConsumer<LongTermToken, LongTermToken> adopt;

	private final Duration checkInterval;

	private volatile Backoff backoff = Backoff.NONE;

	private volatile Instant notBefore = Instant.MIN;

	LongTermRotation(C2MAuthClient client, @Nullable Settings settings, LongTermTokenCoordinator coordinator,
			Refresher<LongTermToken> holder, TokenRules rules, Supplier<Mono<ShortTermToken>> writer,
			Function<LongTermToken, Mono<LongTermTokenCoordinator.Outcome>> check,
			BiConsumer<LongTermToken, LongTermToken> adopt, Duration checkInterval) {
		this.client = client;
		this.settings = settings;
		this.coordinator = coordinator;
		this.holder = holder;
		this.rules = rules;
		this.writer = writer;
		this.check = check;
		this.adopt = adopt;
		this.checkInterval = checkInterval;
	}

	/**
	 * Whether the token has reached its rotation point and no retry delay holds the
	 * rotation back.
	 * @param token the held token
	 * @param now the current time
	 * @return whether to rotate now
	 */
	boolean isDue(LongTermToken token, Instant now) {
		TokenPolicy policy = this.rules.policy();
		Instant issuedAt = token.issuedAt();
		Instant expiresAt = token.expiresAt();
		Duration rotateBefore = policy.rotateBefore();
		if (!policy.rotation() || this.settings == null || issuedAt == null || expiresAt == null
				|| !token.scopes().contains(TOKENS_WRITE)) {
			return false;
		}
		Instant rotateAt = (rotateBefore != null) ? expiresAt.minus(rotateBefore)
				: LongTermMaintainer.pointOfLife(issuedAt, expiresAt, policy.rotateAt());
		return !now.isBefore(rotateAt) && this.backoff.allows(now) && !now.isBefore(this.notBefore);
	}

	/**
	 * Forget the retry delay: the held token was replaced.
	 */
	void reset() {
		this.backoff = Backoff.NONE;
	}

	/**
	 * Rotate the held token.
	 * @param held the token
	 * @return the outcome
	 */
	Mono<LongTermTokenCoordinator.Outcome> rotate(LongTermToken held) {
		TokenPolicy policy = this.rules.policy();
		AtomicReference<LongTermTokenCoordinator.Outcome> result = new AtomicReference<>();
		return this.coordinator
			.rotate(held, Mono.defer(this.writer), this::rotateAtServer, policy.revokeGrace(),
					policy.revokeAfterRotation())
			.doOnNext((outcome) -> {
				result.set(outcome);
				switch (outcome.kind()) {
					case ROTATED -> rotated(held, outcome);
					case BUSY -> this.notBefore = this.rules.tokenClock().instant().plus(this.checkInterval);
					case ADOPTED -> this.adopt.accept(held, outcome.requiredToken());
					default -> {
					}
				}
			})
			// once the rotation has given its lease back: a retired token with no grace
			// period goes now
			.then(Mono.defer(() -> {
				LongTermTokenCoordinator.Outcome outcome = result.get();
				if (outcome == null) {
					return Mono.empty();
				}
				RetiredToken retired = outcome.retired();
				boolean revokeNow = outcome.kind() == LongTermTokenCoordinator.Kind.ROTATED && retired != null
						&& retired.isDue(this.rules.tokenClock().instant());
				// a failure of that check is recorded by it, and is no failure of the
				// rotation
				return revokeNow ? this.check.apply(outcome.requiredToken())
					.onErrorResume((ex) -> Mono.empty())
					.thenReturn(outcome) : Mono.just(outcome);
			}))
			.doOnError((ex) -> failed(held, result.get(), ex));
	}

	private void rotated(LongTermToken held, LongTermTokenCoordinator.Outcome outcome) {
		LongTermToken fresh = outcome.requiredToken();
		RetiredToken retired = outcome.retired();
		this.holder.replace(held, fresh);
		this.rules.statistics().rotations.increment();
		this.backoff = Backoff.NONE;
		logger.info("Rotated the C2M long-term token " + held.tokenId() + " to " + fresh.tokenId() + " (expires "
				+ fresh.expiresAt() + ")"
				+ ((retired != null) ? "; " + held.tokenId() + " is revoked after " + retired.revokeAt() : ""));
		this.rules.events().publish(C2MTokenEvent.Type.LONG_TERM_ROTATED, fresh.tokenId(), held.tokenId());
	}

	private void failed(LongTermToken held, LongTermTokenCoordinator.@Nullable Outcome done, Throwable ex) {
		C2MAuthException failure = TokenRules.asAuthException(ex, C2MOperation.ROTATE_LONG_TERM_TOKEN);
		this.rules.events().failed(failure);
		if (done != null && done.kind() == LongTermTokenCoordinator.Kind.ROTATED) {
			logger.warn("Rotated the C2M long-term token, but could not give the store's lease back (another "
					+ "instance takes it when it runs out): " + failure.getMessage());
			return;
		}
		this.rules.statistics().rotationFailures.increment();
		Instant now = this.rules.tokenClock().instant();
		this.backoff = this.rules.backoffAfter(this.backoff, failure, now);
		if (LongTermTokenCoordinator.STORE_ERROR.equals(failure.getCode())) {
			// each attempt would have the server issue a token that the store then
			// refuses
			this.notBefore = now.plus(this.checkInterval.multipliedBy(STORE_FAILURE_PAUSE));
		}
		Instant next = this.backoff.nextAttemptAt().isAfter(this.notBefore) ? this.backoff.nextAttemptAt()
				: this.notBefore;
		logger.warn("Could not rotate the C2M long-term token " + held.tokenId() + "; it stays in use, next attempt "
				+ "after " + next + ": " + failure.getMessage());
	}

	private Mono<LongTermToken> rotateAtServer(ShortTermToken writer) {
		// only called once isDue said yes, which needs settings
		Settings settings = Objects.requireNonNull(this.settings, "settings");
		Duration ttl = settings.ttl();
		Long ttlSeconds = (ttl != null) ? ttl.toSeconds() : null;
		List<String> scopes = settings.scopes().isEmpty() ? null : settings.scopes();
		return Mono.defer(() -> {
			Instant requestedAt = this.rules.tokenClock().instant();
			return this.client
				.rotateLongTermToken(LongTokenRequest.forRotation(settings.clientId(), scopes, ttlSeconds),
						writer.tokenValue())
				.map((response) -> new LongTermToken(response.accessToken(), response.tokenId(),
						Set.copyOf(response.scopes()), requestedAt, expiry(response, requestedAt)));
		});
	}

	/**
	 * Revoke a retired long-term token (one already gone counts as revoked), and announce
	 * it.
	 */
	static Mono<Void> revokeRetired(C2MAuthClient client, TokenRules rules, String tokenId, LongTermToken authority) {
		return client.revoke(tokenId, authority.tokenValue())
			.onErrorResume((ex) -> ex instanceof C2MAuthException auth && auth.getStatus() == 404, (ex) -> Mono.empty())
			.doOnSuccess((done) -> {
				logger.info("Revoked the retired C2M long-term token " + tokenId);
				rules.events().publish(C2MTokenEvent.Type.TOKEN_REVOKED, tokenId, null);
			})
			.doOnError((ex) -> {
				C2MAuthException failure = TokenRules.asAuthException(ex, C2MOperation.REVOKE_TOKEN);
				rules.events().failed(failure);
				logger
					.warn("Could not revoke the retired C2M long-term token " + tokenId + ": " + failure.getMessage());
			});
	}

	/**
	 * The expiry of a token: the request time plus {@code expires_in}, capped.
	 * @param response the response
	 * @param requestedAt when it was requested, on the manager's clock
	 * @return the expiry
	 */
	static Instant expiry(TokenResponse response, Instant requestedAt) {
		Duration life = Duration.ofSeconds(response.expiresIn());
		return requestedAt.plus((life.compareTo(MAX_LIFETIME) > 0) ? MAX_LIFETIME : life);
	}

	/**
	 * The request a rotation sends.
	 *
	 * @param clientId the client id
	 * @param scopes the scopes to request (empty for the current token's)
	 * @param ttl the lifetime to request, or {@code null} for the server's default
	 */
	record Settings(String clientId, List<String> scopes, @Nullable Duration ttl) {

		Settings {
			Assert.hasText(clientId, "clientId must not be empty");
			scopes = List.copyOf(scopes);
		}

	}

}
