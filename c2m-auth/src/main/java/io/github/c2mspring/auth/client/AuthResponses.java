package io.github.c2mspring.auth.client;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.model.LongTokenResponse;
import io.github.c2mspring.auth.model.ShortTokenResponse;
import io.github.c2mspring.auth.model.TokenResponse;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * Reads the success answers of the token endpoints and refuses a token response that is
 * not what the contract promises (no body, no {@code access_token}, an {@code expires_in}
 * that is missing, not positive or beyond {@link C2MAuthClient#MAX_EXPIRES_IN_SECONDS}, a
 * token type other than Bearer).
 */
final class AuthResponses {

	private AuthResponses() {
	}

	static Mono<LongTokenResponse> longTermToken(ClientResponse response, C2MOperation operation) {
		String headerTokenId = response.headers().asHttpHeaders().getFirst("X-Token-Id");
		return response.bodyToMono(LongTokenResponse.class)
			.switchIfEmpty(Mono.error(() -> emptyBody(operation, response)))
			.map((token) -> validate(operation, token.withTokenIdIfMissing(headerTokenId)));
	}

	static Mono<ShortTokenResponse> shortTermToken(ClientResponse response) {
		C2MOperation operation = C2MOperation.EXCHANGE_SHORT_TERM_TOKEN;
		return response.bodyToMono(ShortTokenResponse.class)
			.switchIfEmpty(Mono.error(() -> emptyBody(operation, response)))
			.map((token) -> validate(operation, token));
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
		else if (token.expiresIn() > C2MAuthClient.MAX_EXPIRES_IN_SECONDS) {
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
