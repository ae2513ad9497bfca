package io.github.c2mspring.sample;

import org.jspecify.annotations.Nullable;

/**
 * A letter to send: a document already uploaded to Click2Mail, and its recipient.
 *
 * @param documentRef the document's reference ({@code null} when the request lacks it:
 * {@link LetterController} refuses it then)
 * @param recipient who receives it ({@code null} when the request lacks it: refused too)
 */
public record LetterRequest(@Nullable String documentRef, @Nullable Recipient recipient) {

	/**
	 * The recipient's postal address, as sent (a missing field is {@code null}).
	 *
	 * @param name the name
	 * @param address the street address
	 * @param city the city
	 * @param state the state
	 * @param zip the postal code
	 */
	public record Recipient(@Nullable String name, @Nullable String address, @Nullable String city,
			@Nullable String state, @Nullable String zip) {
	}

}
