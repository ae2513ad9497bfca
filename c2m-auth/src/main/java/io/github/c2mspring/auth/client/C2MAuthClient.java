package io.github.c2mspring.auth.client;

import java.time.Clock;
import java.time.Duration;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.model.LongTokenResponse;
import io.github.c2mspring.auth.model.ShortTokenRequest;
import io.github.c2mspring.auth.model.ShortTokenResponse;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The three endpoints of the Click2Mail v2 auth API over a {@link WebClient} whose base
 * URL is the API's (for example {@code https://api.click2mail.com/v2}).
 * <p>
 * Every failure becomes a {@link C2MAuthException}: an error status (with the server's
 * {@code AuthError} code and message and any {@code Retry-After}), a body that is not
 * what the contract promises, no answer at all, or no answer within the call timeout.
 * Each call is observed ({@link C2MAuthObservationDocumentation#AUTH_REQUESTS}): by
 * default as {@value #OBSERVATION_NAME} with the low-cardinality keys {@code operation},
 * {@code outcome} and {@code status}, or as a {@link C2MAuthObservationConvention} given
 * to the {@link #builder builder} says.
 * <p>
 * Immutable and thread-safe once built.
 */
public final class C2MAuthClient {

	/** The name of the observation (and so of the timer) recorded for each call. */
	public static final String OBSERVATION_NAME = DefaultC2MAuthObservationConvention.DEFAULT_NAME;

	/**
	 * The longest lifetime believed (400 days); a larger {@code expires_in} is refused.
	 */
	public static final long MAX_EXPIRES_IN_SECONDS = 400L * 24 * 3600;

	private final AuthRequests requests;

	private final ObservedCalls calls;

	private final @Nullable String clientId;

	private final @Nullable String name;

	/**
	 * Create a client with the system clock, a 256 KiB response size named in errors and
	 * the default observation convention; {@link #builder(WebClient)} sets more.
	 * @param webClient the web client, with the API's base URL
	 * @param observationRegistry where calls are observed
	 * ({@link ObservationRegistry#NOOP} for none)
	 * @param callTimeout the longest a whole call may take, connection included
	 */
	public C2MAuthClient(WebClient webClient, ObservationRegistry observationRegistry, Duration callTimeout) {
		this(builder(webClient).observationRegistry(observationRegistry).callTimeout(callTimeout));
	}

	private C2MAuthClient(Builder builder) {
		this.requests = new AuthRequests(builder.webClient);
		this.calls = new ObservedCalls(builder.observationRegistry, builder.observationConvention, builder.callTimeout,
				new AuthErrors(builder.callTimeout, builder.maxResponseSize, builder.clock));
		this.clientId = builder.clientId;
		this.name = builder.name;
	}

	/**
	 * A builder of clients.
	 * @param webClient the web client, with the API's base URL
	 * @return the builder
	 */
	public static Builder builder(WebClient webClient) {
		return new Builder(webClient);
	}

	/**
	 * Issue a long-term token with the credential carried in the request body
	 * ({@code X-Client-Id} is sent too).
	 * @param request the request, with a client secret, an OTP or an assertion
	 * @return the issued token
	 */
	public Mono<LongTokenResponse> issueLongTermToken(LongTokenRequest request) {
		Assert.notNull(request, "request must not be null");
		Assert.isTrue(request.mechanism() != LongTokenRequest.Mechanism.SHORT_TERM_TOKEN,
				"a request without a credential is a rotation: use rotateLongTermToken");
		SecretScrubber scrubber = SecretScrubber.of(request.clientSecret(), request.otpCode(), request.assertion());
		C2MOperation operation = C2MOperation.ISSUE_LONG_TERM_TOKEN;
		return this.calls.call(operation, request.clientId(), this.name, scrubber, this.requests.issue(request),
				(response) -> AuthResponses.longTermToken(response, operation));
	}

	/**
	 * Rotate: issue a new long-term token authorized by a short-term token that has
	 * {@code tokens:write}.
	 * @param request a rotation request (no credential in the body)
	 * @param shortTermToken the short-term token value
	 * @return the issued token
	 */
	public Mono<LongTokenResponse> rotateLongTermToken(LongTokenRequest request, String shortTermToken) {
		Assert.notNull(request, "request must not be null");
		Assert.isTrue(request.mechanism() == LongTokenRequest.Mechanism.SHORT_TERM_TOKEN,
				"a rotation request carries no credential in its body: use LongTokenRequest.forRotation");
		Assert.hasText(shortTermToken, "shortTermToken must not be empty");
		C2MOperation operation = C2MOperation.ROTATE_LONG_TERM_TOKEN;
		return this.calls.call(operation, this.clientId, this.name, SecretScrubber.of(shortTermToken),
				this.requests.rotate(request, shortTermToken),
				(response) -> AuthResponses.longTermToken(response, operation));
	}

	/**
	 * Exchange a long-term token for a short-term one.
	 * @param longTermToken the long-term token value
	 * @param request the scopes to narrow to, if any
	 * @return the short-term token
	 */
	public Mono<ShortTokenResponse> exchange(String longTermToken, ShortTokenRequest request) {
		Assert.hasText(longTermToken, "longTermToken must not be empty");
		Assert.notNull(request, "request must not be null");
		return this.calls.call(C2MOperation.EXCHANGE_SHORT_TERM_TOKEN, this.clientId, this.name,
				SecretScrubber.of(longTermToken), this.requests.exchange(longTermToken, request),
				AuthResponses::shortTermToken);
	}

	/**
	 * Revoke a token by its id. Revoking a token that is already revoked succeeds.
	 * @param tokenId the id of the token to revoke
	 * @param bearerToken a token with {@code tokens:revoke} that authorizes the call
	 * @return completion
	 */
	public Mono<Void> revoke(String tokenId, String bearerToken) {
		Assert.hasText(tokenId, "tokenId must not be empty");
		Assert.hasText(bearerToken, "bearerToken must not be empty");
		return this.calls.call(C2MOperation.REVOKE_TOKEN, this.clientId, this.name, SecretScrubber.of(bearerToken),
				this.requests.revoke(tokenId, bearerToken), (response) -> response.releaseBody());
	}

	/**
	 * Settings of a {@link C2MAuthClient}, all fixed when it is built.
	 */
	public static final class Builder {

		private final WebClient webClient;

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private @Nullable C2MAuthObservationConvention observationConvention;

		private Duration callTimeout = Duration.ofSeconds(30);

		private Clock clock = Clock.systemUTC();

		private long maxResponseSize = 256 * 1024;

		private @Nullable String clientId;

		private @Nullable String name;

		private Builder(WebClient webClient) {
			Assert.notNull(webClient, "webClient must not be null");
			this.webClient = webClient;
		}

		/**
		 * Where calls are observed (default: {@link ObservationRegistry#NOOP}, none).
		 * @param observationRegistry the registry
		 * @return this
		 */
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			Assert.notNull(observationRegistry, "observationRegistry must not be null");
			this.observationRegistry = observationRegistry;
			return this;
		}

		/**
		 * The convention that names each call's observation and its key values, in place
		 * of {@link DefaultC2MAuthObservationConvention}.
		 * @param observationConvention the convention, or {@code null} for the default
		 * @return this
		 */
		public Builder observationConvention(@Nullable C2MAuthObservationConvention observationConvention) {
			this.observationConvention = observationConvention;
			return this;
		}

		/**
		 * The longest a whole call may take, connection included (default 30 seconds).
		 * @param callTimeout the timeout, positive
		 * @return this
		 */
		public Builder callTimeout(Duration callTimeout) {
			Assert.notNull(callTimeout, "callTimeout must not be null");
			Assert.isTrue(!callTimeout.isNegative() && !callTimeout.isZero(), "callTimeout must be positive");
			this.callTimeout = callTimeout;
			return this;
		}

		/**
		 * The clock a {@code Retry-After} HTTP-date is read with (default: the system
		 * clock).
		 * @param clock the clock
		 * @return this
		 */
		public Builder clock(Clock clock) {
			Assert.notNull(clock, "clock must not be null");
			this.clock = clock;
			return this;
		}

		/**
		 * The largest answer the web client reads, to name it in errors (default 256
		 * KiB). It does not set the limit: the web client's codecs do.
		 * @param maxResponseSize the limit in bytes
		 * @return this
		 */
		public Builder maxResponseSize(long maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
			return this;
		}

		/**
		 * The name of the account the calls are made for, the {@code client} tag of their
		 * observation: for an application with several accounts (one with none has no
		 * such tag).
		 * @param name the name
		 * @return this
		 */
		public Builder name(String name) {
			Assert.hasText(name, "name must not be empty");
			this.name = name;
			return this;
		}

		/**
		 * The Click2Mail client id the calls are made for, put in each
		 * {@link C2MAuthObservationContext} (an issuance takes it from its request). Not
		 * sent by the rotation, the exchange or the revocation.
		 * @param clientId the client id, or {@code null}
		 * @return this
		 */
		public Builder clientId(@Nullable String clientId) {
			this.clientId = clientId;
			return this;
		}

		/**
		 * Build the client.
		 * @return the client
		 */
		public C2MAuthClient build() {
			return new C2MAuthClient(this);
		}

	}

}
