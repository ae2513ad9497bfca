package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.C2MCredential.ClientSecret;
import io.github.c2mspring.auth.C2MCredential.OneTimePassword;
import io.github.c2mspring.auth.C2MCredential.PreProvisionedToken;
import io.github.c2mspring.auth.C2MCredential.PrivateKeyJwt;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.assertion.JwtAssertionSigner;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.model.LongTokenResponse;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * Issues long-term tokens from a step-up credential: a client secret, a one-time code
 * (usable once: a second issuance fails with a clear error instead of sending a spent
 * code), or a JWT assertion signed afresh for every issuance.
 * <p>
 * A one-time code is spent once a request carrying it may have reached the server: on
 * success, on any answer, and on any failure after the connection was made (the server
 * may have consumed it). A failure to connect (refused, connect timeout, unknown host)
 * leaves it usable, since the code never left this host. One issuance at a time may carry
 * it.
 */
public final class CredentialLongTermTokenSource implements LongTermTokenSource {

	private final C2MAuthClient client;

	private final String clientId;

	private final C2MCredential credential;

	private final List<String> scopes;

	private final @Nullable Duration ttl;

	private final @Nullable JwtAssertionSigner signer;

	private final AtomicReference<OtpState> otp = new AtomicReference<>(OtpState.UNUSED);

	private final Clock clock;

	/**
	 * Create a source.
	 * @param client the auth client
	 * @param clientId the client id
	 * @param credential the credential (not a pre-provisioned token)
	 * @param scopes the scopes to request, or an empty list for the client's default
	 * @param ttl the lifetime to request, or {@code null} for the server's default
	 * @param clock the clock that stamps issued tokens and signs assertions
	 */
	public CredentialLongTermTokenSource(C2MAuthClient client, String clientId, C2MCredential credential,
			List<String> scopes, @Nullable Duration ttl, Clock clock) {
		Assert.notNull(client, "client must not be null");
		Assert.hasText(clientId, "clientId must not be empty");
		Assert.notNull(credential, "credential must not be null");
		Assert.isTrue(!(credential instanceof PreProvisionedToken), "a pre-provisioned token issues nothing");
		Assert.notNull(scopes, "scopes must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.clock = clock;
		this.client = client;
		this.clientId = clientId;
		this.credential = credential;
		this.scopes = List.copyOf(scopes);
		this.ttl = ttl;
		this.signer = (credential instanceof PrivateKeyJwt key) ? new JwtAssertionSigner(key.privateKey(), key.keyId(),
				key.algorithm(), key.audience(), key.lifetime(), this.clock) : null;
	}

	@Override
	public Mono<LongTermToken> obtain() {
		return Mono.defer(() -> {
			Instant requestedAt = this.clock.instant();
			LongTokenRequest request = request();
			Mono<LongTermToken> issued;
			try {
				issued = this.client.issueLongTermToken(request).map((response) -> toToken(response, requestedAt));
			}
			catch (RuntimeException ex) {
				// nothing was sent
				this.otp.compareAndSet(OtpState.IN_FLIGHT, OtpState.UNUSED);
				throw ex;
			}
			return (this.credential instanceof OneTimePassword) ? spendingTheCode(issued) : issued;
		});
	}

	/**
	 * The code is spent on success and on any failure but one that proves the request
	 * never left this host; a cancelled issuance may have reached the server, so it
	 * spends the code too.
	 */
	private Mono<LongTermToken> spendingTheCode(Mono<LongTermToken> issued) {
		return issued.doOnSuccess((token) -> this.otp.set(OtpState.SPENT))
			.doOnError((ex) -> this.otp.set(neverSent(ex) ? OtpState.UNUSED : OtpState.SPENT))
			.doOnCancel(() -> this.otp.set(OtpState.SPENT));
	}

	private static boolean neverSent(Throwable ex) {
		return ex instanceof C2MAuthException failure && failure.isRequestNotSent();
	}

	private LongTokenRequest request() {
		List<String> requestScopes = this.scopes.isEmpty() ? null : this.scopes;
		Long ttlSeconds = (this.ttl != null) ? this.ttl.toSeconds() : null;
		if (this.credential instanceof ClientSecret secret) {
			return LongTokenRequest.withClientSecret(this.clientId, secret.secret(), requestScopes, ttlSeconds);
		}
		if (this.credential instanceof OneTimePassword otp) {
			if (!this.otp.compareAndSet(OtpState.UNUSED, OtpState.IN_FLIGHT)) {
				if (this.otp.get() == OtpState.IN_FLIGHT) {
					throw new C2MAuthException(C2MOperation.ISSUE_LONG_TERM_TOKEN, 0, "otp_in_use", null, null,
							"the configured one-time code is being used by an issuance still in progress", null);
				}
				throw new C2MAuthException(C2MOperation.ISSUE_LONG_TERM_TOKEN, 0, "otp_spent", null, null,
						"the configured one-time code was already used to issue a long-term token and cannot issue "
								+ "another; configure a fresh one-time code, a client secret or an assertion key",
						null, false, C2MSetting.OTP_CODE, C2MSetting.CREDENTIAL);
			}
			return LongTokenRequest.withOtp(this.clientId, otp.code(), requestScopes, ttlSeconds);
		}
		// the credential is a PrivateKeyJwt (the others returned above), so it has a
		// signer
		JwtAssertionSigner signer = Objects.requireNonNull(this.signer, "signer");
		return LongTokenRequest.withAssertion(this.clientId, signer.sign(this.clientId), requestScopes, ttlSeconds);
	}

	static LongTermToken toToken(LongTokenResponse response, Instant requestedAt) {
		return new LongTermToken(response.accessToken(), response.tokenId(), Set.copyOf(response.scopes()), requestedAt,
				requestedAt.plusSeconds(response.expiresIn()));
	}

	@Override
	public boolean canIssue() {
		return !(this.credential instanceof OneTimePassword) || this.otp.get() != OtpState.SPENT;
	}

	@Override
	public String description() {
		return this.credential.kind();
	}

	private enum OtpState {

		UNUSED, IN_FLIGHT, SPENT

	}

}
