package io.github.c2mspring.auth.client;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.model.AuthError;
import org.jspecify.annotations.Nullable;

import org.springframework.core.codec.CodecException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.UnsupportedMediaTypeException;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Turns what went wrong in a call into a {@link C2MAuthException}: an error answer (its
 * {@code AuthError} body and {@code Retry-After}), or a failure without an answer
 * (timeout, TLS, connection, a body that could not be read or was too large). Every text
 * that came from the server or the network goes through the call's
 * {@link SecretScrubber}.
 */
final class AuthErrors {

	private final Duration callTimeout;

	private final long maxResponseSize;

	private final Clock clock;

	AuthErrors(Duration callTimeout, long maxResponseSize, Clock clock) {
		this.callTimeout = callTimeout;
		this.maxResponseSize = maxResponseSize;
		this.clock = clock;
	}

	C2MAuthException fromResponse(C2MOperation operation, ClientResponse response, String body,
			SecretScrubber scrubber) {
		int status = response.statusCode().value();
		HttpHeaders headers = response.headers().asHttpHeaders();
		Duration retryAfter = RetryAfter.parse(headers.getFirst(HttpHeaders.RETRY_AFTER), this.clock);
		AuthError error = readAuthError(body);
		String code = (error != null) ? error.code() : null;
		if (error != null && code != null) {
			String message = scrubber.scrub(error.message());
			return new C2MAuthException(operation, status, code, message, retryAfter,
					(message != null) ? message : "the server gave no message", null);
		}
		String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
		String description = body.isBlank() ? "the answer had no body"
				: "the answer was not an AuthError (" + ((contentType != null) ? contentType : "no content type") + ", "
						+ body.length() + " characters: \"" + scrubber.scrub(body) + "\")";
		return new C2MAuthException(operation, status, C2MAuthException.UNKNOWN_CODE, null, retryAfter, description,
				null);
	}

	private static @Nullable AuthError readAuthError(String body) {
		if (body.isBlank()) {
			return null;
		}
		try {
			AuthError error = AuthError.read(body);
			return (error != null && error.code() != null && !error.code().isBlank()) ? error : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	C2MAuthException translate(C2MOperation operation, Throwable ex, SecretScrubber scrubber) {
		if (ex instanceof TimeoutException) {
			return new C2MAuthException(operation, 0, C2MAuthException.TRANSPORT_CODE, null, null,
					"no complete answer within the call timeout of " + this.callTimeout
							+ " (raise the call timeout or the read timeout if the server is slow)",
					null, false, C2MSetting.CALL_TIMEOUT, C2MSetting.READ_TIMEOUT);
		}
		if (ex instanceof WebClientRequestException requestException && causedBy(ex, SSLException.class)) {
			Throwable root = rootCause(requestException);
			return new C2MAuthException(operation, 0, C2MAuthException.TRANSPORT_CODE, null, null,
					"the TLS handshake with " + requestException.getUri().getHost() + ":" + port(requestException)
							+ " failed (" + root.getClass().getSimpleName() + ": " + scrubber.scrub(root.getMessage())
							+ "); a server certificate from a corporate CA is trusted by adding it to the trusted "
							+ "certificates",
					null, causedBy(ex, SSLHandshakeException.class), C2MSetting.TRUST);
		}
		if (ex instanceof WebClientRequestException requestException) {
			Throwable root = rootCause(requestException);
			return new C2MAuthException(operation, 0, C2MAuthException.TRANSPORT_CODE, null, null,
					"no answer from " + requestException.getUri().getHost() + ":" + port(requestException) + " ("
							+ root.getClass().getSimpleName() + ": " + scrubber.scrub(root.getMessage()) + ")",
					null, neverConnected(requestException));
		}
		if (ex instanceof UnsupportedMediaTypeException unsupported) {
			return new C2MAuthException(operation, 0, C2MAuthException.INVALID_RESPONSE_CODE, null, null,
					"the success answer could not be read as the contract's JSON: its content type is "
							+ unsupported.getContentType(),
					null);
		}
		if (causedBy(ex, DataBufferLimitException.class)) {
			return new C2MAuthException(operation, 0, C2MAuthException.INVALID_RESPONSE_CODE, null, null,
					"the answer is larger than the " + this.maxResponseSize
							+ " bytes the client reads (the maximum response size); it was cut off",
					null, false, C2MSetting.MAX_RESPONSE_SIZE);
		}
		if (ex instanceof CodecException) {
			return new C2MAuthException(operation, 0, C2MAuthException.INVALID_RESPONSE_CODE, null, null,
					"the answer could not be read as the contract's JSON (" + scrubber.scrub(rootCause(ex).getMessage())
							+ ")",
					null);
		}
		Throwable root = rootCause(ex);
		return new C2MAuthException(operation, 0, C2MAuthException.TRANSPORT_CODE, null, null,
				root.getClass().getSimpleName() + ": " + scrubber.scrub(root.getMessage()), null);
	}

	/**
	 * Whether the failure came before a connection to the server existed, so that no byte
	 * of the request was sent: a refused or timed-out connect (Netty's connect timeout
	 * and a proxy's refusal are {@link ConnectException}s too), an unknown host, no
	 * route.
	 */
	private static boolean neverConnected(WebClientRequestException ex) {
		return causedBy(ex, ConnectException.class) || causedBy(ex, UnknownHostException.class)
				|| causedBy(ex, NoRouteToHostException.class) || causedBy(ex, UnresolvedAddressException.class);
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private static int port(WebClientRequestException ex) {
		int port = ex.getUri().getPort();
		if (port > 0) {
			return port;
		}
		return "https".equalsIgnoreCase(ex.getUri().getScheme()) ? 443 : 80;
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root;
	}

}
