package io.github.c2mspring.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v2/auth/tokens/long}: issues a long-term token from one credential (client
 * secret, one-time code or assertion, with the {@code X-Client-Id} header) or rotates one
 * with a short-term token that has {@code tokens:write}.
 */
final class LongTermTokenEndpoint implements Route {

	private static final Set<String> REQUEST_FIELDS = Set.of("grant_type", "client_id", "client_secret", "otp_code",
			"assertion_type", "assertion", "scopes", "ttl_seconds");

	private static final long MIN_TTL = 3600;

	private static final long MAX_TTL = 7776000;

	private final Clients clients;

	private final TokenAuthority authority;

	private final AssertionVerifier assertions;

	LongTermTokenEndpoint(Clients clients, TokenAuthority authority, AssertionVerifier assertions) {
		this.clients = clients;
		this.authority = authority;
		this.assertions = assertions;
	}

	@Override
	public Answer answer(Request http) {
		String bearer = http.bearer();
		String headerClientId = http.header("X-Client-Id");
		if (bearer == null && headerClientId == null) {
			// the contract's security: a short-term token (ShortTokenAuth) or the
			// X-Client-Id header (ClientKey)
			return Answer.error(401, "invalid_client", "Send X-Client-Id with a credential, or a short-term token");
		}
		JsonNode request = Json.read(http.body());
		if (request == null || !request.isObject()) {
			return Answer.error(400, "invalid_request", "The request body must be a JSON object");
		}
		String unknown = Json.unknownField(request, REQUEST_FIELDS);
		if (unknown != null) {
			return Answer.error(400, "invalid_request", "Unknown field '" + unknown + "'");
		}
		String grantType = Json.text(request, "grant_type");
		String clientId = Json.text(request, "client_id");
		if (grantType == null || clientId == null) {
			return Answer.error(400, "invalid_request", "grant_type and client_id are required");
		}
		if (!grantType.equals("client_credentials") && !grantType.equals("assertion")) {
			return Answer.error(400, "invalid_grant", "The grant type is not supported");
		}
		if (headerClientId != null && !headerClientId.equals(clientId)) {
			return Answer.error(400, "invalid_request", "X-Client-Id does not match client_id");
		}
		String secret = Json.text(request, "client_secret");
		String otp = Json.text(request, "otp_code");
		String assertion = Json.text(request, "assertion");
		int mechanisms = ((secret != null) ? 1 : 0) + ((otp != null) ? 1 : 0) + ((assertion != null) ? 1 : 0);
		if (mechanisms > 1) {
			return Answer.error(400, "invalid_request", "Only one credential mechanism is allowed per call");
		}
		Duration ttl = null;
		if (request.has("ttl_seconds")) {
			JsonNode ttlNode = request.get("ttl_seconds");
			if (!ttlNode.isIntegralNumber() || ttlNode.asLong() < MIN_TTL || ttlNode.asLong() > MAX_TTL) {
				return Answer.error(400, "invalid_request", "ttl_seconds must be an integer from 3600 to 7776000");
			}
			ttl = Duration.ofSeconds(ttlNode.asLong());
		}
		List<String> requestedScopes = Json.stringList(request, "scopes");
		if (requestedScopes == null && request.has("scopes")) {
			return Answer.error(400, "invalid_request", "scopes must be an array of strings");
		}
		Clients.Client client = this.clients.find(clientId);
		Grant grant = grant(request, grantType, clientId, client, secret, otp, assertion, bearer);
		if (grant.refusal != null) {
			return grant.refusal;
		}
		if (client == null) {
			return Answer.error(401, "invalid_grant", "Unknown client");
		}
		Token parent = grant.parent;
		List<String> scopes;
		if (requestedScopes != null) {
			List<String> allowed = (parent != null) ? parent.scopes : client.allowed();
			if (!TokenAuthority.covers(allowed, requestedScopes)) {
				return Answer.error(403, "insufficient_scope", "The requested scopes are not allowed for this client");
			}
			scopes = requestedScopes;
		}
		else {
			scopes = (parent != null) ? parent.scopes : client.defaults();
		}
		Token token = this.authority.issueLongTerm(clientId, scopes, ttl, grant.mechanism,
				(parent != null) ? parent.id : null);
		return Answer.issued(token).withHeader("X-Token-Id", token.id);
	}

	/**
	 * Check the one credential of a request.
	 */
	private Grant grant(JsonNode request, String grantType, String clientId, Clients.@Nullable Client client,
			@Nullable String secret, @Nullable String otp, @Nullable String assertion, @Nullable String bearer) {
		if (grantType.equals("assertion")) {
			if (!C2MEmulator.JWT_BEARER.equals(Json.text(request, "assertion_type"))) {
				return Grant
					.refused(Answer.error(400, "invalid_request", "assertion_type must be " + C2MEmulator.JWT_BEARER));
			}
			if (assertion == null) {
				return Grant.refused(Answer.error(400, "invalid_request", "An assertion grant needs an assertion"));
			}
			String problem = this.assertions.problem(client, clientId, assertion);
			return (problem != null) ? Grant.refused(Answer.error(401, "invalid_grant", problem))
					: Grant.granted("assertion", null);
		}
		if (assertion != null || request.has("assertion_type")) {
			return Grant.refused(
					Answer.error(400, "invalid_request", "assertion and assertion_type need grant_type assertion"));
		}
		if (secret != null) {
			if (client == null || !secret.equals(client.secretValue())) {
				return Grant
					.refused(Answer.error(401, "invalid_grant", "The provided client credentials are invalid."));
			}
			return Grant.granted("client_secret", null);
		}
		if (otp != null) {
			if (client == null || !client.useOtp(otp)) {
				return Grant
					.refused(Answer.error(401, "invalid_grant", "The one-time code is invalid or was already used."));
			}
			return Grant.granted("otp", null);
		}
		if (bearer == null) {
			return Grant.refused(Answer.error(401, "invalid_grant",
					"No credential: send a client secret, an OTP, an assertion, or a short-term token"));
		}
		Token token = this.authority.valid(bearer);
		if (token == null || token.kind != TokenKind.SHORT_TERM || !token.clientId.equals(clientId)) {
			return Grant.refused(Answer.error(401, "invalid_token", "The provided token is expired or invalid"));
		}
		if (!TokenAuthority.covers(token.scopes, List.of("tokens:write"))) {
			return Grant.refused(
					Answer.error(403, "insufficient_scope", "The token lacks the required scope for this operation"));
		}
		return Grant.granted("rotation", this.authority.find(token.parentId));
	}

	/**
	 * The outcome of checking a credential: the mechanism and, for a rotation, the
	 * long-term token rotated (if it is still known); or the answer that refuses it (and
	 * the mechanism {@code none}).
	 */
	private record Grant(String mechanism, @Nullable Token parent, @Nullable Answer refusal) {

		static Grant granted(String mechanism, @Nullable Token parent) {
			return new Grant(mechanism, parent, null);
		}

		static Grant refused(Answer refusal) {
			return new Grant("none", null, refusal);
		}

	}

}
