package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.auth.C2MCredential;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the Click2Mail API is and how to authenticate to it. By default read from the
 * {@code c2m.*} properties; a bean of this type (for example one a test creates for an
 * emulator container through {@code @ServiceConnection}) takes their place.
 */
public interface C2MConnectionDetails extends ConnectionDetails {

	/**
	 * The API's base URL, such as {@code https://api.click2mail.com/v2}.
	 * @return the base URL
	 */
	String getBaseUrl();

	/**
	 * The client id issued by Click2Mail.
	 * @return the client id
	 */
	String getClientId();

	/**
	 * The credential the long-term token comes from.
	 * @return the credential
	 */
	C2MCredential getCredential();

}
