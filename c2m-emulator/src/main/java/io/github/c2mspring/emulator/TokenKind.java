package io.github.c2mspring.emulator;

/**
 * The two kinds of token the emulator issues.
 */
public enum TokenKind {

	/** A long-term token, exchanged for short-term ones. */
	LONG_TERM,

	/** A short-term token, which authorizes API calls. */
	SHORT_TERM

}
