package io.github.c2mspring.auth.security;

import java.io.IOException;

import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.token.C2MTokenManager;

import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;

/**
 * The {@code RestClient} twin of {@link C2MUnauthorizedRetryFilter}: on a 401, evict the token
 * the request carried, obtain a new one and send the request once more. Placed after Spring
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
		ClientHttpResponse response = execution.execute(request, body);
		String refused = C2MUnauthorizedRetryFilter.bearer(request.getHeaders());
		if (response.getStatusCode().value() != HttpStatus.UNAUTHORIZED.value() || refused == null) {
			return response;
		}
		response.close();
		this.tokenManager.evictValue(refused);
		ShortTermToken fresh = this.tokenManager.getShortTermTokenBlocking(this.tokenManager.getDefaultScopes());
		request.getHeaders().setBearerAuth(fresh.tokenValue());
		return execution.execute(request, body);
	}

}
