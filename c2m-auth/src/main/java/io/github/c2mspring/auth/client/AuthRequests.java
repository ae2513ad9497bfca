package io.github.c2mspring.auth.client;

import io.github.c2mspring.auth.model.LongTokenRequest;
import io.github.c2mspring.auth.model.ShortTokenRequest;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Writes the requests of the three auth endpoints (paths, headers, JSON bodies) on a
 * {@link WebClient} whose base URL is the API's. Nothing is sent until the returned
 * request is exchanged.
 */
final class AuthRequests {

	private static final String LONG_TERM_PATH = "/auth/tokens/long";

	private static final String SHORT_TERM_PATH = "/auth/tokens/short";

	private static final String REVOKE_PATH = "/auth/tokens/{tokenId}/revoke";

	private final WebClient webClient;

	AuthRequests(WebClient webClient) {
		this.webClient = webClient;
	}

	WebClient.RequestHeadersSpec<?> issue(LongTokenRequest request) {
		return this.webClient.post()
			.uri(LONG_TERM_PATH)
			.header("X-Client-Id", request.clientId())
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(request);
	}

	WebClient.RequestHeadersSpec<?> rotate(LongTokenRequest request, String shortTermToken) {
		return this.webClient.post()
			.uri(LONG_TERM_PATH)
			.headers((headers) -> headers.setBearerAuth(shortTermToken))
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(request);
	}

	WebClient.RequestHeadersSpec<?> exchange(String longTermToken, ShortTokenRequest request) {
		return this.webClient.post()
			.uri(SHORT_TERM_PATH)
			.headers((headers) -> headers.setBearerAuth(longTermToken))
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(request);
	}

	WebClient.RequestHeadersSpec<?> revoke(String tokenId, String bearerToken) {
		return this.webClient.post()
			.uri(REVOKE_PATH, tokenId)
			.headers((headers) -> headers.setBearerAuth(bearerToken))
			.accept(MediaType.APPLICATION_JSON);
	}

}
