package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import io.github.c2mspring.auth.token.LongTermTokenCoordinator.Kind;
import io.github.c2mspring.auth.token.LongTermTokenCoordinator.Outcome;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * How an instance that holds no usable long-term token gets one (see
 * {@link LongTermTokenCoordinator#obtain}): adopted from the store, or issued under the
 * lease by one instance and stored while the others wait for it.
 */
final class LongTermTokenIssuance {

	private final StoreCalls calls;

	private final StoreLease lease;

	private final TokenAdoption adoption;

	private final TokenWrites writes;

	private final LongTermTokenSource source;

	private final Clock clock;

	LongTermTokenIssuance(StoreCalls calls, StoreLease lease, TokenAdoption adoption, TokenWrites writes,
			LongTermTokenSource source, Clock clock) {
		Assert.notNull(calls, "calls must not be null");
		Assert.notNull(lease, "lease must not be null");
		Assert.notNull(adoption, "adoption must not be null");
		Assert.notNull(writes, "writes must not be null");
		Assert.notNull(source, "source must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.calls = calls;
		this.lease = lease;
		this.adoption = adoption;
		this.writes = writes;
		this.source = source;
		this.clock = clock;
	}

	/**
	 * A token for an instance that holds none usable: a stored one that is usable and not
	 * refused (adopted), or one issued by the instance that takes the lease and stored;
	 * the others wait for it and adopt it.
	 * @return the token and how it was obtained
	 */
	Mono<Outcome> obtain() {
		Duration patience = this.lease.duration().multipliedBy(2);
		Instant giveUpAt = this.clock.instant().plus(patience);
		long polls = patience.toMillis() / LongTermTokenCoordinator.POLL_INTERVAL.toMillis();
		return obtain(giveUpAt, polls);
	}

	private Mono<Outcome> obtain(Instant giveUpAt, long pollsLeft) {
		return this.calls.load(C2MOperation.ISSUE_LONG_TERM_TOKEN).flatMap((stored) -> {
			Optional<LongTermToken> adoptable = stored.map(StoredToken::token).filter(this.adoption::adoptable);
			if (adoptable.isPresent()) {
				return Mono.just(Outcome.adopted(adoptable.get()));
			}
			if (!this.source.canIssue() && (stored.isPresent() || this.adoption.anyRefused())) {
				return Mono.error(cannotIssue(stored.map(StoredToken::token).orElse(null)));
			}
			return this.lease.under(C2MOperation.ISSUE_LONG_TERM_TOKEN, this::issue).switchIfEmpty(Mono.defer(() -> {
				if (pollsLeft <= 0 || !this.clock.instant().isBefore(giveUpAt)) {
					return Mono.error(new C2MAuthException(C2MOperation.ISSUE_LONG_TERM_TOKEN, 0, "store_lease_held",
							null, null,
							"another instance has held the token store's lease for "
									+ this.lease.duration().multipliedBy(2) + " without storing a long-term token",
							null));
				}
				return Mono.delay(LongTermTokenCoordinator.POLL_INTERVAL).then(obtain(giveUpAt, pollsLeft - 1));
			}));
		});
	}

	private Mono<Outcome> issue() {
		return this.calls.load(C2MOperation.ISSUE_LONG_TERM_TOKEN).flatMap((stored) -> {
			Optional<LongTermToken> adoptable = stored.map(StoredToken::token).filter(this.adoption::adoptable);
			if (adoptable.isPresent()) {
				return Mono.just(Outcome.adopted(adoptable.get()));
			}
			boolean issuing = this.source.canIssue();
			RetiredToken retired = stored.map(StoredToken::retired).orElse(null);
			return this.source.obtain()
				.flatMap((token) -> this.writes.store(C2MOperation.ISSUE_LONG_TERM_TOKEN, token, retired, stored,
						issuing ? Kind.ISSUED : Kind.PROVIDED, null));
		});
	}

	/**
	 * A usable token another instance stored in place of the one refused, if there is
	 * one: for a source that cannot issue.
	 * @return the stored token, or empty
	 */
	Mono<LongTermToken> storedReplacement() {
		return this.calls.load(C2MOperation.ISSUE_LONG_TERM_TOKEN)
			.flatMap((stored) -> Mono.justOrEmpty(stored.map(StoredToken::token).filter(this.adoption::adoptable)));
	}

	private C2MAuthException cannotIssue(@Nullable LongTermToken stored) {
		String which = (stored != null && stored.tokenId() != null) ? " " + stored.tokenId() : "";
		return new C2MAuthException(C2MOperation.ISSUE_LONG_TERM_TOKEN, 0, "long_term_token_expired", null, null,
				"the long-term token" + which + " expired or was refused and the configured "
						+ this.source.description() + " cannot issue another; configure a new one",
				null);
	}

}
