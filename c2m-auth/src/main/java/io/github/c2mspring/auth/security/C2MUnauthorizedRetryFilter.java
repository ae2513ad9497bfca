package io.github.c2mspring.auth.security;

import io.github.c2mspring.auth.token.C2MTokenManager;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Heals a 401 from the Click2Mail API that says the token is bad
 * ({@code WWW-Authenticate:
 * Bearer error="invalid_token"}, or the contract's {@code invalid_token} error body): the
 * token the request carried is evicted, a new one is obtained (one exchange for all
 * callers that hit the same refusal) and the request is sent once more. Any other 401
 * goes back to the caller as it is, and so does a second refusal.
 * <p>
 * The cost stays bounded whatever the traffic: a given token is evicted at most once
 * (through
 * {@link io.github.c2mspring.auth.token.C2MTokenEvictions#refused(String, boolean) the
 * manager's evictions}, shared with the {@code RestClient} interceptor), and a token
 * refused on the replay itself is not evicted again. The replay sends the bytes the first
 * attempt wrote; a body larger than the replay limit, or streamed with flushes, is not
 * replayed. Placed after Spring Security's exchange filter, so it sees the token that
 * filter added.
 */
public final class C2MUnauthorizedRetryFilter implements ExchangeFilterFunction {

	/**
	 * The largest request body kept for a replay, the same as Spring's default codec
	 * limit.
	 */
	public static final int DEFAULT_MAX_REPLAY_BODY_SIZE = 256 * 1024;

	private final C2MTokenManager tokenManager;

	private final int maxReplayBodySize;

	/**
	 * Create a filter that replays bodies up to {@value #DEFAULT_MAX_REPLAY_BODY_SIZE}
	 * bytes.
	 * @param tokenManager the token manager
	 */
	public C2MUnauthorizedRetryFilter(C2MTokenManager tokenManager) {
		this(tokenManager, DEFAULT_MAX_REPLAY_BODY_SIZE);
	}

	/**
	 * Create a filter.
	 * @param tokenManager the token manager
	 * @param maxReplayBodySize the largest request body kept for a replay, in bytes (0 to
	 * replay only requests without a body)
	 */
	public C2MUnauthorizedRetryFilter(C2MTokenManager tokenManager, int maxReplayBodySize) {
		Assert.notNull(tokenManager, "tokenManager must not be null");
		Assert.isTrue(maxReplayBodySize >= 0, "maxReplayBodySize must not be negative");
		this.tokenManager = tokenManager;
		this.maxReplayBodySize = maxReplayBodySize;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		String sent = bearer(request.headers());
		if (sent == null) {
			return next.exchange(request);
		}
		RecordedBody body = new RecordedBody(this.maxReplayBodySize);
		return next.exchange(body.record(request)).flatMap((response) -> {
			if (!C2MTokenRefusal.isUnauthorized(response.statusCode().value())) {
				return Mono.just(response);
			}
			return inspect(response).flatMap((refusal) -> {
				if (!refusal.invalidToken()) {
					return Mono.just(refusal.response());
				}
				this.tokenManager.evictions().refused(sent, true);
				if (!body.isReplayable()) {
					return Mono.just(refusal.response());
				}
				return replay(request, sent, body, refusal.response(), next);
			});
		});
	}

	private Mono<ClientResponse> replay(ClientRequest request, String sent, RecordedBody body, ClientResponse refused,
			ExchangeFunction next) {
		return this.tokenManager.getShortTermToken()
			.onErrorResume((ex) -> refused.releaseBody().then(Mono.error(ex)))
			.flatMap((fresh) -> {
				String value = fresh.tokenValue();
				if (value.equals(sent) || this.tokenManager.evictions().isRefused(value)) {
					// no other token to try: the refusal goes back to the caller
					return Mono.just(refused);
				}
				return refused.releaseBody()
					.then(next.exchange(body.replay(request, value)))
					.flatMap((again) -> refusedAgain(again, value));
			});
	}

	private Mono<ClientResponse> refusedAgain(ClientResponse response, String sent) {
		if (!C2MTokenRefusal.isUnauthorized(response.statusCode().value())) {
			return Mono.just(response);
		}
		return inspect(response).map((refusal) -> {
			if (refusal.invalidToken()) {
				// a token refused right after its exchange: another exchange would not
				// help
				this.tokenManager.evictions().refused(sent, false);
			}
			return refusal.response();
		});
	}

	/**
	 * Whether a 401 says the token is bad; its body, when read for the code, is kept for
	 * the caller.
	 */
	private static Mono<Refusal> inspect(ClientResponse response) {
		HttpHeaders headers = response.headers().asHttpHeaders();
		Boolean challenge = C2MTokenRefusal.fromChallenge(headers);
		if (challenge != null || !C2MTokenRefusal.bodyWorthReading(headers)) {
			return Mono.just(new Refusal(response, Boolean.TRUE.equals(challenge)));
		}
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), C2MTokenRefusal.MAX_BODY_SIZE)
			.map((buffer) -> {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				DataBufferUtils.release(buffer);
				return bytes;
			})
			.defaultIfEmpty(new byte[0])
			.onErrorResume(DataBufferLimitException.class, (ex) -> Mono.just(new byte[0]))
			.map((bytes) -> new Refusal(response.mutate()
				.body((consumed) -> Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes))))
				.build(), C2MTokenRefusal.fromBody(bytes)));
	}

	static @Nullable String bearer(HttpHeaders headers) {
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String value = authorization.substring(7).trim();
		return value.isEmpty() ? null : value;
	}

	private record Refusal(ClientResponse response, boolean invalidToken) {
	}

}
