package io.github.c2mspring.auth;

/**
 * The operations of the Click2Mail v2 auth API, used to name an operation in errors, logs
 * and meter tags.
 */
public enum C2MOperation {

	/** {@code POST /auth/tokens/long} with a credential: issue a long-term token. */
	ISSUE_LONG_TERM_TOKEN("issue-long-term-token"),

	/**
	 * {@code POST /auth/tokens/long} with a short-term token: rotate the long-term token.
	 */
	ROTATE_LONG_TERM_TOKEN("rotate-long-term-token"),

	/**
	 * {@code POST /auth/tokens/short}: exchange the long-term token for a short-term one.
	 */
	EXCHANGE_SHORT_TERM_TOKEN("exchange-short-term-token"),

	/** {@code POST /auth/tokens/{tokenId}/revoke}: revoke a token. */
	REVOKE_TOKEN("revoke-token");

	private final String tagValue;

	C2MOperation(String tagValue) {
		this.tagValue = tagValue;
	}

	/**
	 * The name used in messages and as the {@code operation} meter tag.
	 * @return the name, such as {@code exchange-short-term-token}
	 */
	public String tagValue() {
		return this.tagValue;
	}

}
