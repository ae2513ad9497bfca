package io.github.c2mspring.autoconfigure;

import java.time.Duration;

import io.github.c2mspring.auth.token.C2MTokenManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * Revokes the short-term tokens held by the token managers created so far (see
 * {@link C2MCreatedTokenManagers}) when the application context closes
 * ({@code c2m.auth.revoke-on-shutdown}), waiting at most the configured timeout so that a
 * slow or unreachable server never hangs the shutdown.
 */
class C2MShutdownRevoker implements DisposableBean {

	private static final Log logger = LogFactory.getLog(C2MShutdownRevoker.class);

	private final C2MCreatedTokenManagers tokenManagers;

	private final Duration timeout;

	C2MShutdownRevoker(C2MCreatedTokenManagers tokenManagers, Duration timeout) {
		this.tokenManagers = tokenManagers;
		this.timeout = timeout;
	}

	@Override
	public void destroy() {
		this.tokenManagers.get().forEach(this::revoke);
	}

	private void revoke(C2MTokenManager tokenManager) {
		try {
			tokenManager.evictions().revokeShortTermTokens().block(this.timeout);
		}
		catch (RuntimeException ex) {
			logger.warn("Revoking the C2M short-term tokens on shutdown did not finish within " + this.timeout
					+ "; shutting down anyway");
		}
	}

}
