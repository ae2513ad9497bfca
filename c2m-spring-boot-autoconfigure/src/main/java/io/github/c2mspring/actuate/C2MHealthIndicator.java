package io.github.c2mspring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.token.C2MTokenDiagnostics;
import io.github.c2mspring.auth.token.C2MTokenManager;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * The {@code c2m} health: UP when a valid short-term token for the default scopes is held
 * or can be obtained, DOWN with the server's error code when it cannot. A probe reads the
 * managed state and calls the token endpoint only when no valid token is held. The
 * details give the tokens' expiry and the last error, never a token or a secret.
 */
public class C2MHealthIndicator extends AbstractHealthIndicator {

	private final C2MTokenManager tokenManager;

	private final Duration timeout;

	/**
	 * Create an indicator.
	 * @param tokenManager the token manager
	 * @param timeout the longest a probe waits for a token when none is held
	 */
	public C2MHealthIndicator(C2MTokenManager tokenManager, Duration timeout) {
		super("C2M health check failed");
		Assert.notNull(tokenManager, "tokenManager must not be null");
		Assert.notNull(timeout, "timeout must not be null");
		this.tokenManager = tokenManager;
		this.timeout = timeout;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ShortTermToken held = this.tokenManager.diagnostics().currentShortTermToken(Set.of()).orElse(null);
		try {
			ShortTermToken token = (held != null && !this.tokenManager.isExpired(held)) ? held
					: this.tokenManager.getShortTermToken().block(this.timeout);
			builder.up();
			if (token != null) {
				detail(builder, "shortTermExpiresAt", token.expiresAt());
			}
		}
		catch (C2MAuthException ex) {
			builder.down();
			detail(builder, "error", ex.getCode());
			builder.withDetail("status", ex.getStatus());
		}
		catch (IllegalStateException ex) {
			builder.down().withDetail("error", "timeout").withDetail("timeout", this.timeout.toString());
		}
		builder.withDetail("longTermTokenSource", this.tokenManager.getLongTermTokenSource().description());
		builder.withDetail("longTermTokenStore", this.tokenManager.getLongTermTokenStore().toString());
		LongTermToken longTerm = this.tokenManager.diagnostics().currentLongTermToken().orElse(null);
		if (longTerm != null) {
			// a pre-provisioned token comes without its id or expiry: what is not known
			// is left out
			detail(builder, "longTermTokenId", longTerm.tokenId());
			detail(builder, "longTermExpiresAt", longTerm.expiresAt());
		}
		this.tokenManager.diagnostics().lastFailure().ifPresent((failure) -> {
			detail(builder, "lastErrorCode", failure.exception().getCode());
			builder.withDetail("lastErrorStatus", failure.exception().getStatus());
			detail(builder, "lastErrorAt", failure.at());
		});
		C2MTokenDiagnostics.RetryState retry = this.tokenManager.diagnostics().retryState();
		if (retry.consecutiveFailures() > 0) {
			builder.withDetail("consecutiveFailures", retry.consecutiveFailures());
			detail(builder, "nextAttemptAt", retry.nextAttemptAt());
		}
		C2MTokenDiagnostics.Statistics statistics = this.tokenManager.diagnostics().statistics();
		builder.withDetail("rotations", statistics.rotations());
		builder.withDetail("adoptions", statistics.adoptions());
		Instant now = this.tokenManager.getClock().instant();
		builder.withDetail("checkedAt", now);
	}

	private static void detail(Health.Builder builder, String key, @Nullable Object value) {
		if (value != null) {
			builder.withDetail(key, value);
		}
	}

}
