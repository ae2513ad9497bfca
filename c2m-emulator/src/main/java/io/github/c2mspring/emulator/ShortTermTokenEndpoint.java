package io.github.c2mspring.emulator;

import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v2/auth/tokens/short}: exchanges the long-term token of the
 * {@code Authorization} header for a short-term token, with the long-term token's scopes
 * or fewer.
 */
final class ShortTermTokenEndpoint implements Route {

	private static final Set<String> REQUEST_FIELDS = Set.of("long_token", "scopes");

	private final TokenAuthority authority;

	ShortTermTokenEndpoint(TokenAuthority authority) {
		this.authority = authority;
	}

	@Override
	public Answer answer(Request http) {
		String bearer = http.bearer();
		if (bearer == null) {
			// the contract's security scheme: the long-term token comes in the
			// Authorization header
			return Answer.unauthorized("invalid_token", "Send the long-term token as Authorization: Bearer", null);
		}
		List<String> requestedScopes = null;
		if (!http.body().isBlank()) {
			JsonNode request = Json.read(http.body());
			if (request == null || !request.isObject()) {
				return Answer.error(400, "invalid_request", "The request body must be a JSON object");
			}
			String unknown = Json.unknownField(request, REQUEST_FIELDS);
			if (unknown != null) {
				return Answer.error(400, "invalid_request", "Unknown field '" + unknown + "'");
			}
			requestedScopes = Json.stringList(request, "scopes");
			if (requestedScopes == null && request.has("scopes")) {
				return Answer.error(400, "invalid_request", "scopes must be an array of strings");
			}
			String inBody = Json.text(request, "long_token");
			if (inBody != null && !inBody.equals(bearer)) {
				return Answer.error(400, "invalid_request", "long_token differs from the Authorization header's");
			}
		}
		Token parent = this.authority.valid(bearer);
		if (parent == null || parent.kind != TokenKind.LONG_TERM) {
			return Answer.error(401, "invalid_token", "The provided token is expired or invalid");
		}
		List<String> scopes = parent.scopes;
		if (requestedScopes != null && !requestedScopes.isEmpty()) {
			if (!TokenAuthority.covers(parent.scopes, requestedScopes)) {
				return Answer.error(400, "invalid_scope", "The requested scopes exceed the long-term token's");
			}
			scopes = requestedScopes;
		}
		return Answer.issued(this.authority.issueShortTerm(parent.clientId, scopes, "exchange", parent.id));
	}

}
