package io.github.c2mspring.emulator;

/**
 * The endpoints the emulator serves.
 */
public enum Endpoint {

	/** {@code POST /v2/auth/tokens/long}: issue or rotate a long-term token. */
	LONG_TERM_TOKEN,

	/** {@code POST /v2/auth/tokens/short}: exchange a long-term token for a short-term one. */
	SHORT_TERM_TOKEN,

	/** {@code POST /v2/auth/tokens/{tokenId}/revoke}: revoke a token. */
	REVOKE,

	/** {@code POST /v2/jobs/single-doc}: the protected API endpoint. */
	SUBMIT_JOB,

	/**
	 * {@code POST /v2/oauth2/token}: not part of the Click2Mail contract. A standard OAuth 2
	 * {@code client_credentials} token endpoint (form body, client secret in the body or as HTTP
	 * Basic) that issues the same short-term tokens, so that stock Spring Security can be measured
	 * against the same server.
	 */
	OAUTH2_TOKEN

}
