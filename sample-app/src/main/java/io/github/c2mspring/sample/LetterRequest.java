package io.github.c2mspring.sample;

/**
 * A letter to send: a document already uploaded to Click2Mail, and its recipient.
 *
 * @param documentRef the document's reference
 * @param recipient who receives it
 */
public record LetterRequest(String documentRef, Recipient recipient) {

	/**
	 * The recipient's postal address.
	 *
	 * @param name the name
	 * @param address the street address
	 * @param city the city
	 * @param state the state
	 * @param zip the postal code
	 */
	public record Recipient(String name, String address, String city, String state, String zip) {
	}

}
