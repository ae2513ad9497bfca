package io.github.c2mspring.auth.security;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.c2mspring.auth.model.AuthError;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Whether a 401 from the Click2Mail API says that the bearer token itself is bad: a
 * {@code WWW-Authenticate: Bearer error="invalid_token"} challenge, or, without a Bearer
 * challenge that names an error, the contract's {@code AuthError} body with the code
 * {@code invalid_token}. Any other 401 (a suspended account, a refused operation) is
 * about something a new token would not change.
 */
final class C2MTokenRefusal {

	/** The largest error body read to find its code. */
	static final int MAX_BODY_SIZE = 16 * 1024;

	private static final String INVALID_TOKEN = "invalid_token";

	private static final Pattern BEARER = Pattern.compile("(?i)(?:^|[\\s,])bearer(?=$|\\s|,)(.*)");

	private static final Pattern ERROR = Pattern.compile("(?i)(?:^|[\\s,])error\\s*=\\s*(?:\"([^\"]*)\"|([^\\s,]+))");

	private C2MTokenRefusal() {
	}

	/**
	 * What the {@code WWW-Authenticate} challenges say.
	 * @param headers the response headers
	 * @return {@code TRUE} for a Bearer challenge with {@code error="invalid_token"},
	 * {@code FALSE} for a Bearer challenge with another error, {@code null} when no
	 * Bearer challenge names an error (the body decides)
	 */
	static @Nullable Boolean fromChallenge(HttpHeaders headers) {
		List<String> challenges = headers.getOrEmpty(HttpHeaders.WWW_AUTHENTICATE);
		Boolean verdict = null;
		for (String challenge : challenges) {
			Matcher bearer = BEARER.matcher(challenge);
			if (!bearer.find()) {
				continue;
			}
			Matcher error = ERROR.matcher(bearer.group(1));
			if (error.find()) {
				String code = (error.group(1) != null) ? error.group(1) : error.group(2);
				if (INVALID_TOKEN.equals(code.trim())) {
					return Boolean.TRUE;
				}
				verdict = Boolean.FALSE;
			}
		}
		return verdict;
	}

	/**
	 * Whether the body may carry an {@code AuthError} worth reading: JSON (or no content
	 * type) and not declared larger than {@link #MAX_BODY_SIZE}.
	 * @param headers the response headers
	 * @return whether to read the body
	 */
	static boolean bodyWorthReading(HttpHeaders headers) {
		MediaType contentType;
		try {
			contentType = headers.getContentType();
		}
		catch (RuntimeException ex) {
			return false;
		}
		boolean json = contentType == null || MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
				|| (contentType.getSubtype() != null && contentType.getSubtype().endsWith("+json"));
		return json && headers.getContentLength() <= MAX_BODY_SIZE;
	}

	/**
	 * Whether an error body is the contract's {@code AuthError} with the code
	 * {@code invalid_token}.
	 * @param body the body
	 * @return whether the token was refused as invalid
	 */
	static boolean fromBody(byte[] body) {
		if (body.length == 0) {
			return false;
		}
		try {
			AuthError error = AuthError.read(body);
			return error != null && INVALID_TOKEN.equals(error.code());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	static boolean isUnauthorized(int status) {
		return status == HttpStatus.UNAUTHORIZED.value();
	}

}
