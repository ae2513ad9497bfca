package io.github.c2mspring.emulator;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /v2/auth/tokens/{tokenId}/revoke}: revokes a token, authorized by a valid
 * token with {@code tokens:revoke}.
 */
final class RevokeEndpoint implements Route {

	/** The path of a revocation; its first group is the token id. */
	static final Pattern PATH = Pattern.compile("/v2/auth/tokens/([^/]+)/revoke");

	private final TokenAuthority authority;

	RevokeEndpoint(TokenAuthority authority) {
		this.authority = authority;
	}

	@Override
	public Answer answer(Request http) {
		Matcher matcher = PATH.matcher(http.path());
		if (!matcher.matches()) {
			return Answer.error(404, "not_found", "The requested resource was not found");
		}
		Token authorizing = this.authority.valid(http.bearer());
		if (authorizing == null) {
			return Answer.error(401, "invalid_token", "The provided token is expired or invalid");
		}
		if (!TokenAuthority.covers(authorizing.scopes, List.of("tokens:revoke"))) {
			// the contract defines 204, 401 and 404 here: a token without the scope does
			// not authorize it
			return Answer.unauthorized("insufficient_scope", "The token lacks the tokens:revoke scope",
					"scope=\"tokens:revoke\"");
		}
		Token target = this.authority.find(matcher.group(1));
		if (target == null) {
			return Answer.error(404, "not_found", "The requested resource was not found");
		}
		target.revoke();
		return Answer.empty(204);
	}

}
