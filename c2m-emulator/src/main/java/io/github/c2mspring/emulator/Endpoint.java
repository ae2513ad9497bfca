package io.github.c2mspring.emulator;

/**
 * The endpoints the emulator serves.
 */
public enum Endpoint {

	/** {@code POST /v2/auth/tokens/long}: issue or rotate a long-term token. */
	LONG_TERM_TOKEN,

	/**
	 * {@code POST /v2/auth/tokens/short}: exchange a long-term token for a short-term
	 * one.
	 */
	SHORT_TERM_TOKEN,

	/** {@code POST /v2/auth/tokens/{tokenId}/revoke}: revoke a token. */
	REVOKE,

	/** {@code POST /v2/jobs/single-doc}: the protected API endpoint. */
	SUBMIT_JOB

}
