package io.github.c2mspring.auth.security;

import io.github.c2mspring.auth.token.C2MTokenManager;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Heals a 401 from the Click2Mail API: the short-term token the request carried is evicted, a
 * new one is obtained (one exchange for all callers that hit the same 401) and the request is
 * sent once more. A second 401 is returned to the caller. Placed after Spring Security's exchange
 * filter, so it sees the token that filter added.
 */
public final class C2MUnauthorizedRetryFilter implements ExchangeFilterFunction {

	private final C2MTokenManager tokenManager;

	/**
	 * Create a filter.
	 * @param tokenManager the token manager
	 */
	public C2MUnauthorizedRetryFilter(C2MTokenManager tokenManager) {
		Assert.notNull(tokenManager, "tokenManager must not be null");
		this.tokenManager = tokenManager;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return next.exchange(request).flatMap((response) -> {
			String refused = bearer(request.headers());
			if (response.statusCode().value() != HttpStatus.UNAUTHORIZED.value() || refused == null) {
				return Mono.just(response);
			}
			this.tokenManager.evictValue(refused);
			return response.releaseBody()
				.then(this.tokenManager.getShortTermToken())
				.flatMap((fresh) -> next.exchange(ClientRequest.from(request)
					.headers((headers) -> headers.setBearerAuth(fresh.tokenValue()))
					.build()));
		});
	}

	static String bearer(HttpHeaders headers) {
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		return authorization.substring(7).trim();
	}

}
