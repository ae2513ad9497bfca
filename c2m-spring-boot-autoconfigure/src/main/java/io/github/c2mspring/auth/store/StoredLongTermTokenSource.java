package io.github.c2mspring.auth.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.token.LongTermTokenSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.Assert;

/**
 * A {@link LongTermTokenSource} that shares the long-term token through a
 * {@link LongTermTokenStore}: a stored token that is neither expired nor refused is adopted
 * (a restart issues nothing); otherwise the instance that takes the store's lease issues one from
 * the credential and stores it, while the others wait for it and adopt it. So a fleet started
 * together issues exactly one token.
 */
public final class StoredLongTermTokenSource implements LongTermTokenSource {

	private static final Log logger = LogFactory.getLog(StoredLongTermTokenSource.class);

	private final LongTermTokenSource issuer;

	private final LongTermTokenStore store;

	private final String key;

	private final Clock clock;

	private final Duration lease;

	private final Duration pollInterval;

	private final String owner = UUID.randomUUID().toString();

	private volatile String refusedValue;

	/**
	 * Create a source.
	 * @param issuer where a new token comes from when none can be adopted
	 * @param store the shared store
	 * @param key the store key (the client id)
	 * @param clock the clock that decides expiry and leases
	 * @param lease how long an instance may take to issue before another may try
	 * @param pollInterval how often a waiting instance looks for the token being issued
	 */
	public StoredLongTermTokenSource(LongTermTokenSource issuer, LongTermTokenStore store, String key, Clock clock,
			Duration lease, Duration pollInterval) {
		Assert.notNull(issuer, "issuer must not be null");
		Assert.notNull(store, "store must not be null");
		Assert.hasText(key, "key must not be empty");
		Assert.notNull(clock, "clock must not be null");
		Assert.isTrue(lease != null && !lease.isNegative() && !lease.isZero(), "lease must be positive");
		Assert.isTrue(pollInterval != null && !pollInterval.isNegative() && !pollInterval.isZero(),
				"pollInterval must be positive");
		this.issuer = issuer;
		this.store = store;
		this.key = key;
		this.clock = clock;
		this.lease = lease;
		this.pollInterval = pollInterval;
	}

	@Override
	public Mono<LongTermToken> obtain() {
		Instant giveUpAt = this.clock.instant().plus(this.lease.multipliedBy(2));
		return attempt(giveUpAt);
	}

	private Mono<LongTermToken> attempt(Instant giveUpAt) {
		return Mono.fromCallable(this::adoptable).subscribeOn(Schedulers.boundedElastic()).flatMap((adopted) -> {
			if (adopted.isPresent()) {
				return Mono.just(adopted.get().token());
			}
			Instant now = this.clock.instant();
			if (this.store.tryLease(this.key, this.owner, now, now.plus(this.lease))) {
				return issueUnderLease();
			}
			if (!now.isBefore(giveUpAt)) {
				return Mono.error(new C2MAuthException(C2MOperation.ISSUE_LONG_TERM_TOKEN, 0, "store_lease_held", null,
						null, "another instance has held the store's issuing lease for " + this.lease.multipliedBy(2)
								+ " without storing a long-term token",
						null));
			}
			return Mono.delay(this.pollInterval).then(Mono.defer(() -> attempt(giveUpAt)));
		});
	}

	private Mono<LongTermToken> issueUnderLease() {
		return Mono.fromCallable(() -> {
			Optional<StoredToken> stored = this.store.load(this.key);
			return stored;
		}).subscribeOn(Schedulers.boundedElastic()).flatMap((stored) -> {
			if (stored.isPresent() && usable(stored.get().token())) {
				return Mono.just(stored.get().token());
			}
			long version = stored.map(StoredToken::version).orElse(0L);
			return this.issuer.obtain().publishOn(Schedulers.boundedElastic()).map((issued) -> {
				if (!this.store.compareAndSet(this.key, issued, version)) {
					logger.warn("Another instance stored a C2M long-term token while " + issued.tokenId()
							+ " was issued under this instance's lease; using the issued one");
				}
				else {
					logger.info("Stored the C2M long-term token " + issued.tokenId() + " for the fleet");
				}
				return issued;
			});
		}).doFinally((signal) -> this.store.releaseLease(this.key, this.owner));
	}

	private Optional<StoredToken> adoptable() {
		return this.store.load(this.key).filter((stored) -> usable(stored.token()));
	}

	private boolean usable(LongTermToken token) {
		if (token.tokenValue().equals(this.refusedValue)) {
			return false;
		}
		return token.expiresAt() == null || this.clock.instant().plusSeconds(60).isBefore(token.expiresAt());
	}

	@Override
	public void invalidate(LongTermToken refused) {
		this.refusedValue = refused.tokenValue();
		this.issuer.invalidate(refused);
	}

	@Override
	public boolean canIssue() {
		return this.issuer.canIssue();
	}

	@Override
	public String description() {
		return this.issuer.description();
	}

}
