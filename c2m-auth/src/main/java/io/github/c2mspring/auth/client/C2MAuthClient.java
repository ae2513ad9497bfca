package io.github.c2mspring.auth.client;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.model.AuthError;
import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.model.LongTokenResponse;
import io.github.c2mspring.auth.model.ShortTokenRequest;
import io.github.c2mspring.auth.model.ShortTokenResponse;
import io.github.c2mspring.auth.model.TokenResponse;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.codec.CodecException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.UnsupportedMediaTypeException;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * The three endpoints of the Click2Mail v2 auth API over a {@link WebClient} whose base
 * URL is the API's (for example {@code https://api.click2mail.com/v2}).
 * <p>
 * Every failure becomes a {@link C2MAuthException}: an error status (with the server's
 * {@code AuthError} code and message and any {@code Retry-After}), a body that is not
 * what the contract promises, no answer at all, or no answer within the call timeout.
 * Each call is observed as {@value #OBSERVATION_NAME} with the low-cardinality keys
 * {@code operation}, {@code outcome} and {@code status}.
 */
public final class C2MAuthClient {

	/** The name of the observation (and so of the timer) recorded for each call. */
	public static final String OBSERVATION_NAME = "c2m.auth.requests";

	private static final String LONG_TERM_PATH = "/auth/tokens/long";

	private static final String SHORT_TERM_PATH = "/auth/tokens/short";

	private static final String REVOKE_PATH = "/auth/tokens/{tokenId}/revoke";

	/**
	 * The longest lifetime believed (400 days); a larger {@code expires_in} is refused.
	 */
	public static final long MAX_EXPIRES_IN_SECONDS = 400L * 24 * 3600;

	private static final JsonMapper ERROR_READER = JsonMapper.builder().build();

	private final WebClient webClient;

	private final ObservationRegistry observationRegistry;

	private final Duration callTimeout;

	private Clock clock = Clock.systemUTC();

	private long maxResponseSize = 256 * 1024;

	/**
	 * Create a client.
	 * @param webClient the web client, with the API's base URL
	 * @param observationRegistry where calls are observed
	 * ({@link ObservationRegistry#NOOP} for none)
	 * @param callTimeout the longest a whole call may take, connection included
	 */
	public C2MAuthClient(WebClient webClient, ObservationRegistry observationRegistry, Duration callTimeout) {
		Assert.notNull(webClient, "webClient must not be null");
		Assert.notNull(observationRegistry, "observationRegistry must not be null");
		Assert.notNull(callTimeout, "callTimeout must not be null");
		Assert.isTrue(!callTimeout.isNegative() && !callTimeout.isZero(), "callTimeout must be positive");
		this.webClient = webClient;
		this.observationRegistry = observationRegistry;
		this.callTimeout = callTimeout;
	}

	/**
	 * Tell the client the largest answer its web client reads, to name it in errors.
	 * @param maxResponseSize the limit in bytes
	 */
	public void setMaxResponseSize(long maxResponseSize) {
		this.maxResponseSize = maxResponseSize;
	}

	/**
	 * Set the clock used to read a {@code Retry-After} HTTP-date.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock must not be null");
		this.clock = clock;
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
		return call(C2MOperation.ISSUE_LONG_TERM_TOKEN, scrubber,
				this.webClient.post()
					.uri(LONG_TERM_PATH)
					.header("X-Client-Id", request.clientId())
					.contentType(MediaType.APPLICATION_JSON)
					.accept(MediaType.APPLICATION_JSON)
					.bodyValue(request),
				(response) -> readLongTermToken(response, C2MOperation.ISSUE_LONG_TERM_TOKEN));
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
		return call(C2MOperation.ROTATE_LONG_TERM_TOKEN, SecretScrubber.of(shortTermToken),
				this.webClient.post()
					.uri(LONG_TERM_PATH)
					.headers((headers) -> headers.setBearerAuth(shortTermToken))
					.contentType(MediaType.APPLICATION_JSON)
					.accept(MediaType.APPLICATION_JSON)
					.bodyValue(request),
				(response) -> readLongTermToken(response, C2MOperation.ROTATE_LONG_TERM_TOKEN));
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
		return call(C2MOperation.EXCHANGE_SHORT_TERM_TOKEN, SecretScrubber.of(longTermToken),
				this.webClient.post()
					.uri(SHORT_TERM_PATH)
					.headers((headers) -> headers.setBearerAuth(longTermToken))
					.contentType(MediaType.APPLICATION_JSON)
					.accept(MediaType.APPLICATION_JSON)
					.bodyValue(request),
				(response) -> response.bodyToMono(ShortTokenResponse.class)
					.switchIfEmpty(Mono.error(() -> emptyBody(C2MOperation.EXCHANGE_SHORT_TERM_TOKEN, response)))
					.map((token) -> validate(C2MOperation.EXCHANGE_SHORT_TERM_TOKEN, token)));
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
		return call(C2MOperation.REVOKE_TOKEN, SecretScrubber.of(bearerToken),
				this.webClient.post()
					.uri(REVOKE_PATH, tokenId)
					.headers((headers) -> headers.setBearerAuth(bearerToken))
					.accept(MediaType.APPLICATION_JSON),
				(response) -> response.releaseBody());
	}

	private Mono<LongTokenResponse> readLongTermToken(ClientResponse response, C2MOperation operation) {
		String headerTokenId = response.headers().asHttpHeaders().getFirst("X-Token-Id");
		return response.bodyToMono(LongTokenResponse.class)
			.switchIfEmpty(Mono.error(() -> emptyBody(operation, response)))
			.map((token) -> validate(operation, token.withTokenIdIfMissing(headerTokenId)));
	}

	private <T> Mono<T> call(C2MOperation operation, SecretScrubber scrubber, WebClient.RequestHeadersSpec<?> request,
			Function<ClientResponse, Mono<T>> onSuccess) {
		return Mono.defer(() -> {
			Observation observation = Observation.createNotStarted(OBSERVATION_NAME, this.observationRegistry)
				.contextualName("c2m " + operation.tagValue())
				.lowCardinalityKeyValue("operation", operation.tagValue())
				.start();
			int[] status = { 0 };
			return request.exchangeToMono((response) -> {
				status[0] = response.statusCode().value();
				if (response.statusCode().is2xxSuccessful()) {
					return onSuccess.apply(response);
				}
				return response.bodyToMono(String.class)
					.defaultIfEmpty("")
					.flatMap((body) -> Mono.error(errorFromResponse(operation, response, body, scrubber)));
			})
				.timeout(this.callTimeout)
				.onErrorMap((ex) -> !(ex instanceof C2MAuthException), (ex) -> translate(operation, ex, scrubber))
				.doOnSuccess((result) -> stop(observation, "SUCCESS", status[0], null))
				.doOnError((ex) -> stop(observation, outcome((C2MAuthException) ex), status[0], ex))
				.doOnCancel(() -> stop(observation, "CANCELLED", status[0], null));
		});
	}

	private static String outcome(C2MAuthException ex) {
		if (ex.getStatus() == 0) {
			return "TRANSPORT_ERROR";
		}
		if (C2MAuthException.INVALID_RESPONSE_CODE.equals(ex.getCode())) {
			return "INVALID_RESPONSE";
		}
		return (ex.getStatus() >= 500) ? "SERVER_ERROR" : "CLIENT_ERROR";
	}

	private static void stop(Observation observation, String outcome, int status, Throwable error) {
		observation.lowCardinalityKeyValue("outcome", outcome);
		observation.lowCardinalityKeyValue("status", (status > 0) ? Integer.toString(status) : "NONE");
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

	private C2MAuthException errorFromResponse(C2MOperation operation, ClientResponse response, String body,
			SecretScrubber scrubber) {
		int status = response.statusCode().value();
		HttpHeaders headers = response.headers().asHttpHeaders();
		java.time.Duration retryAfter = RetryAfter.parse(headers.getFirst(HttpHeaders.RETRY_AFTER), this.clock);
		AuthError error = readAuthError(body);
		if (error != null) {
			String message = scrubber.scrub(error.message());
			return new C2MAuthException(operation, status, error.code(), message, retryAfter,
					(message != null) ? message : "the server gave no message", null);
		}
		String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
		String description = body.isBlank() ? "the answer had no body"
				: "the answer was not an AuthError (" + ((contentType != null) ? contentType : "no content type") + ", "
						+ body.length() + " characters: \"" + scrubber.scrub(body) + "\")";
		return new C2MAuthException(operation, status, C2MAuthException.UNKNOWN_CODE, null, retryAfter, description,
				null);
	}

	private static AuthError readAuthError(String body) {
		if (body.isBlank()) {
			return null;
		}
		try {
			AuthError error = ERROR_READER.readValue(body, AuthError.class);
			return (error != null && error.code() != null && !error.code().isBlank()) ? error : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private C2MAuthException translate(C2MOperation operation, Throwable ex, SecretScrubber scrubber) {
		if (ex instanceof TimeoutException) {
			return new C2MAuthException(operation, 0, C2MAuthException.TRANSPORT_CODE, null, null,
					"no complete answer within the call timeout of " + this.callTimeout
							+ " (raise the call timeout or the read timeout if the server is slow)",
					null, false, C2MSetting.CALL_TIMEOUT, C2MSetting.READ_TIMEOUT);
		}
		if (ex instanceof WebClientRequestException requestException && causedBy(ex, SSLException.class)) {
			Throwable root = rootCause(requestException);
			return new C2MAuthException(operation, 0, C2MAuthException.TRANSPORT_CODE, null, null,
					"the TLS handshake with " + requestException.getUri().getHost() + ":" + port(requestException)
							+ " failed (" + root.getClass().getSimpleName() + ": " + scrubber.scrub(root.getMessage())
							+ "); a server certificate from a corporate CA is trusted by adding it to the trusted "
							+ "certificates",
					null, causedBy(ex, SSLHandshakeException.class), C2MSetting.TRUST);
		}
		if (ex instanceof WebClientRequestException requestException) {
			Throwable root = rootCause(requestException);
			return new C2MAuthException(operation, 0, C2MAuthException.TRANSPORT_CODE, null, null,
					"no answer from " + requestException.getUri().getHost() + ":" + port(requestException) + " ("
							+ root.getClass().getSimpleName() + ": " + scrubber.scrub(root.getMessage()) + ")",
					null, neverConnected(requestException));
		}
		if (ex instanceof UnsupportedMediaTypeException unsupported) {
			return new C2MAuthException(operation, 0, C2MAuthException.INVALID_RESPONSE_CODE, null, null,
					"the success answer could not be read as the contract's JSON: its content type is "
							+ unsupported.getContentType(),
					null);
		}
		if (causedBy(ex, DataBufferLimitException.class)) {
			return new C2MAuthException(operation, 0, C2MAuthException.INVALID_RESPONSE_CODE, null, null,
					"the answer is larger than the " + this.maxResponseSize
							+ " bytes the client reads (the maximum response size); it was cut off",
					null, false, C2MSetting.MAX_RESPONSE_SIZE);
		}
		if (ex instanceof CodecException) {
			return new C2MAuthException(operation, 0, C2MAuthException.INVALID_RESPONSE_CODE, null, null,
					"the answer could not be read as the contract's JSON (" + scrubber.scrub(rootCause(ex).getMessage())
							+ ")",
					null);
		}
		Throwable root = rootCause(ex);
		return new C2MAuthException(operation, 0, C2MAuthException.TRANSPORT_CODE, null, null,
				root.getClass().getSimpleName() + ": " + scrubber.scrub(root.getMessage()), null);
	}

	/**
	 * Whether the failure came before a connection to the server existed, so that no byte
	 * of the request was sent: a refused or timed-out connect (Netty's connect timeout
	 * and a proxy's refusal are {@link ConnectException}s too), an unknown host, no
	 * route.
	 */
	private static boolean neverConnected(WebClientRequestException ex) {
		return causedBy(ex, ConnectException.class) || causedBy(ex, UnknownHostException.class)
				|| causedBy(ex, NoRouteToHostException.class) || causedBy(ex, UnresolvedAddressException.class);
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private static int port(WebClientRequestException ex) {
		int port = ex.getUri().getPort();
		if (port > 0) {
			return port;
		}
		return "https".equalsIgnoreCase(ex.getUri().getScheme()) ? 443 : 80;
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root;
	}

	private static C2MAuthException emptyBody(C2MOperation operation, ClientResponse response) {
		return new C2MAuthException(operation, response.statusCode().value(), C2MAuthException.INVALID_RESPONSE_CODE,
				null, null, "the success answer had no body; expected a token response", null);
	}

	private static <T extends TokenResponse> T validate(C2MOperation operation, T token) {
		String problem = null;
		if (token.accessToken() == null || token.accessToken().isBlank()) {
			problem = "the token response has no access_token";
		}
		else if (token.expiresIn() == null) {
			problem = "the token response has no expires_in";
		}
		else if (token.expiresIn() <= 0) {
			problem = "the token response has a non-positive expires_in (" + token.expiresIn() + ")";
		}
		else if (token.expiresIn() > MAX_EXPIRES_IN_SECONDS) {
			problem = "the token response has an expires_in of " + token.expiresIn()
					+ " seconds, beyond the 400 days any Click2Mail token lives";
		}
		else if (token.tokenType() != null && !"Bearer".equalsIgnoreCase(token.tokenType())) {
			problem = "the token response has token_type '" + token.tokenType() + "', expected Bearer";
		}
		if (problem != null) {
			throw new C2MAuthException(operation, 201, C2MAuthException.INVALID_RESPONSE_CODE, null, null, problem,
					null);
		}
		return token;
	}

}
