package io.github.c2mspring.auth.token;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link C2MTokenManager} holds and has done, as of now, for health indicators,
 * meters and tests: the tokens held, the counters, the retry state and the last failure.
 * Reading it never obtains a token, starts a request or changes the manager. Reached
 * through {@link C2MTokenManager#diagnostics()}.
 */
public final class C2MTokenDiagnostics {

	private final TokenRules rules;

	private final LongTermMaintainer longTerm;

	private final ShortTermTokenCache shortTerm;

	C2MTokenDiagnostics(TokenRules rules, LongTermMaintainer longTerm, ShortTermTokenCache shortTerm) {
		this.rules = rules;
		this.longTerm = longTerm;
		this.shortTerm = shortTerm;
	}

	/**
	 * The short-term token held now for a scope set, without obtaining one; it may be
	 * expired.
	 * @param scopes the scopes (empty for the default scopes)
	 * @return the token, if one is held
	 */
	public Optional<ShortTermToken> currentShortTermToken(Collection<String> scopes) {
		Refresher<ShortTermToken> refresher = this.shortTerm.find(scopes);
		return Optional.ofNullable((refresher != null) ? refresher.token() : null);
	}

	/**
	 * Every short-term token held now, by scope set.
	 * @return the tokens
	 */
	public Map<Set<String>, ShortTermToken> currentShortTermTokens() {
		Map<Set<String>, ShortTermToken> tokens = new HashMap<>();
		this.shortTerm.entries().forEach((entry) -> {
			ShortTermToken token = entry.getValue().token();
			if (token != null) {
				tokens.put(entry.getKey(), token);
			}
		});
		return Map.copyOf(tokens);
	}

	/**
	 * The long-term token held now, without obtaining one.
	 * @return the token, if one is held
	 */
	public Optional<LongTermToken> currentLongTermToken() {
		return Optional.ofNullable(this.longTerm.current());
	}

	/**
	 * The counters of the manager, as of now.
	 * @return the statistics
	 */
	public Statistics statistics() {
		return this.rules.statistics().snapshot();
	}

	/**
	 * Whether no token request is in flight (no exchange, issuance or rotation).
	 * @return whether the manager is idle
	 */
	public boolean isIdle() {
		return this.longTerm.isIdle() && this.shortTerm.isIdle();
	}

	/**
	 * The retry state of the default scopes' short-term token.
	 * @return how many attempts failed in a row and when the next one is allowed
	 */
	public RetryState retryState() {
		Backoff backoff = this.shortTerm.refresher(Set.of()).state().backoff();
		return new RetryState(backoff.failures(), (backoff.failures() > 0) ? backoff.nextAttemptAt() : null);
	}

	/**
	 * The last failure to obtain, rotate or revoke a token, if any happened.
	 * @return the last failure
	 */
	public Optional<Failure> lastFailure() {
		return Optional.ofNullable(this.rules.events().lastFailure());
	}

	/**
	 * Counters since the manager was created.
	 *
	 * @param cacheHits requests for a short-term token served from the cache
	 * @param cacheMisses requests for a short-term token that found none usable
	 * @param exchanges successful exchanges of the long-term token for a short-term one
	 * @param exchangeFailures failed exchanges
	 * @param issuances long-term tokens issued from the credential
	 * @param issuanceFailures failures to issue a long-term token
	 * @param adoptions long-term tokens taken from the store, where another instance (or
	 * an earlier run) put them, instead of issuing one; a token taken at first need
	 * counts once it has yielded a short-term token (one the server refuses is replaced
	 * and not counted)
	 * @param backgroundRefreshes refreshes started in the background, no caller waiting
	 * @param rotations rotations of the long-term token done by this instance
	 * @param rotationFailures failed rotations
	 * @param rejectedDuringBackoff callers failed at once because no token was usable and
	 * retries were backing off
	 */
	public record Statistics(long cacheHits, long cacheMisses, long exchanges, long exchangeFailures, long issuances,
			long issuanceFailures, long adoptions, long backgroundRefreshes, long rotations, long rotationFailures,
			long rejectedDuringBackoff) {
	}

	/**
	 * Retry state.
	 *
	 * @param consecutiveFailures attempts that failed in a row
	 * @param nextAttemptAt when the next attempt is allowed, or {@code null} when not
	 * backing off
	 */
	public record RetryState(int consecutiveFailures, @Nullable Instant nextAttemptAt) {
	}

	/**
	 * The last failure.
	 *
	 * @param exception what failed
	 * @param at when, on the manager's clock
	 */
	public record Failure(C2MAuthException exception, Instant at) {
	}

}
