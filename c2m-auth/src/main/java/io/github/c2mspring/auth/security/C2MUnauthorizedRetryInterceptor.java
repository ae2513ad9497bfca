package io.github.c2mspring.auth.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;

import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.token.C2MTokenManager;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;

/**
 * The {@code RestClient} twin of {@link C2MUnauthorizedRetryFilter}: on a 401 that says
 * the token is bad ({@code WWW-Authenticate: Bearer error="invalid_token"} or the
 * contract's {@code invalid_token} error body), evict the token the request carried (at
 * most once per token, shared with the filter), obtain a new one and send the request
 * once more. Any other 401 goes back to the caller. The body is replayed from the bytes
 * {@code RestClient} buffers for its interceptors, so even a one-shot
 * {@code StreamingHttpOutputMessage.Body} is sent again exactly. Placed after Spring
 * Security's {@code OAuth2ClientHttpRequestInterceptor}.
 */
public final class C2MUnauthorizedRetryInterceptor implements ClientHttpRequestInterceptor {

	private final C2MTokenManager tokenManager;

	/**
	 * Create an interceptor.
	 * @param tokenManager the token manager
	 */
	public C2MUnauthorizedRetryInterceptor(C2MTokenManager tokenManager) {
		Assert.notNull(tokenManager, "tokenManager must not be null");
		this.tokenManager = tokenManager;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		String sent = C2MUnauthorizedRetryFilter.bearer(request.getHeaders());
		ClientHttpResponse response = execution.execute(request, body);
		if (sent == null || !C2MTokenRefusal.isUnauthorized(response.getStatusCode().value())) {
			return response;
		}
		Inspected refusal = inspect(response);
		if (!refusal.invalidToken()) {
			return refusal.response();
		}
		this.tokenManager.evictions().refused(sent, true);
		ShortTermToken fresh;
		try {
			fresh = this.tokenManager.getShortTermTokenBlocking(this.tokenManager.getDefaultScopes());
		}
		catch (RuntimeException ex) {
			refusal.response().close();
			throw ex;
		}
		String value = fresh.tokenValue();
		if (value.equals(sent) || this.tokenManager.evictions().isRefused(value)) {
			return refusal.response();
		}
		refusal.response().close();
		request.getHeaders().setBearerAuth(value);
		ClientHttpResponse again = execution.execute(request, body);
		if (!C2MTokenRefusal.isUnauthorized(again.getStatusCode().value())) {
			return again;
		}
		Inspected second = inspect(again);
		if (second.invalidToken()) {
			// a token refused right after its exchange: another exchange would not help
			this.tokenManager.evictions().refused(value, false);
		}
		return second.response();
	}

	private static Inspected inspect(ClientHttpResponse response) throws IOException {
		Boolean challenge = C2MTokenRefusal.fromChallenge(response.getHeaders());
		if (challenge != null || !C2MTokenRefusal.bodyWorthReading(response.getHeaders())) {
			return new Inspected(response, Boolean.TRUE.equals(challenge));
		}
		InputStream in = response.getBody();
		byte[] prefix = in.readNBytes(C2MTokenRefusal.MAX_BODY_SIZE + 1);
		boolean whole = prefix.length <= C2MTokenRefusal.MAX_BODY_SIZE;
		return new Inspected(new ReadAgain(response, prefix, in), whole && C2MTokenRefusal.fromBody(prefix));
	}

	private record Inspected(ClientHttpResponse response, boolean invalidToken) {
	}

	/**
	 * A response whose body's first bytes were read to find the error code, and can be
	 * read again, whole.
	 */
	private static final class ReadAgain implements ClientHttpResponse {

		private final ClientHttpResponse delegate;

		private final InputStream body;

		ReadAgain(ClientHttpResponse delegate, byte[] prefix, InputStream rest) {
			this.delegate = delegate;
			this.body = new SequenceInputStream(new ByteArrayInputStream(Arrays.copyOf(prefix, prefix.length)), rest);
		}

		@Override
		public HttpStatusCode getStatusCode() throws IOException {
			return this.delegate.getStatusCode();
		}

		@Override
		public String getStatusText() throws IOException {
			return this.delegate.getStatusText();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.delegate.getHeaders();
		}

		@Override
		public InputStream getBody() {
			return this.body;
		}

		@Override
		public void close() {
			this.delegate.close();
		}

	}

}
