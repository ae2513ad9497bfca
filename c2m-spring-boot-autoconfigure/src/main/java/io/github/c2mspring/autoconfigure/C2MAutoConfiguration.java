package io.github.c2mspring.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.CredentialLongTermTokenSource;
import io.github.c2mspring.auth.token.DefaultC2MAuthOperations;
import io.github.c2mspring.auth.token.LongTermTokenSource;
import io.github.c2mspring.auth.token.PreProvisionedLongTermTokenSource;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the Click2Mail client: the auth client on the application's
 * {@link WebClient.Builder}, the long-term token source, the {@link C2MTokenManager} and the
 * {@link C2MAuthOperations} bean. Every bean backs off when the application defines its own.
 * Spring Security integration and the {@code c2mWebClient} and {@code c2mRestClient} beans come
 * from {@link C2MOAuth2ClientAutoConfiguration}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass({ WebClient.class, Mono.class })
@ConditionalOnBooleanProperty(name = "c2m.enabled", matchIfMissing = true)
@EnableConfigurationProperties(C2MProperties.class)
public final class C2MAutoConfiguration {

	/** The name of an optional {@link Clock} bean that the token manager uses instead of UTC. */
	public static final String CLOCK_BEAN_NAME = "c2mClock";

	@Bean
	@ConditionalOnMissingBean(C2MConnectionDetails.class)
	PropertiesC2MConnectionDetails c2mConnectionDetails(C2MProperties properties) {
		return new PropertiesC2MConnectionDetails(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	C2MAuthClient c2mAuthClient(C2MConnectionDetails connectionDetails, C2MProperties properties,
			ObjectProvider<WebClient.Builder> webClientBuilder, ObjectProvider<ObservationRegistry> observationRegistry,
			@Qualifier(CLOCK_BEAN_NAME) ObjectProvider<Clock> clock) {
		C2MProperties.Http http = properties.getHttp();
		String baseUrl = C2MSettings.checkBaseUrl(connectionDetails.getBaseUrl(), http.isAllowInsecureBaseUrl());
		int maxResponseSize = (int) Math.min(Integer.MAX_VALUE, http.getMaxResponseSize().toBytes());
		WebClient webClient = webClientBuilder.getIfAvailable(WebClient::builder)
			.baseUrl(baseUrl)
			.clientConnector(C2MHttpClients.connector(http))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(maxResponseSize))
			.build();
		C2MAuthClient client = new C2MAuthClient(webClient,
				observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP),
				C2MSettings.checkPositive("c2m.http.call-timeout", http.getCallTimeout(), "30s"));
		client.setClock(clock.getIfAvailable(Clock::systemUTC));
		return client;
	}

	@Bean
	@ConditionalOnMissingBean
	LongTermTokenSource c2mLongTermTokenSource(C2MAuthClient client, C2MConnectionDetails connectionDetails,
			C2MProperties properties, @Qualifier(CLOCK_BEAN_NAME) ObjectProvider<Clock> clock) {
		C2MCredential credential = connectionDetails.getCredential();
		if (credential instanceof C2MCredential.PreProvisionedToken token) {
			return new PreProvisionedLongTermTokenSource(token);
		}
		C2MProperties.LongTerm longTerm = properties.getAuth().getLongTerm();
		Duration ttl = C2MSettings.checkLongTermTtl(longTerm.getTtl());
		return new CredentialLongTermTokenSource(client, connectionDetails.getClientId(), credential,
				longTerm.getScopes(), ttl, clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	C2MTokenManager c2mTokenManager(C2MAuthClient client, LongTermTokenSource longTermTokenSource,
			C2MProperties properties, @Qualifier(CLOCK_BEAN_NAME) ObjectProvider<Clock> clock) {
		C2MProperties.Auth auth = properties.getAuth();
		return new C2MTokenManager(client, longTermTokenSource, auth.getShortTerm().getScopes(),
				clock.getIfAvailable(Clock::systemUTC),
				C2MSettings.checkNotNegative("c2m.auth.clock-skew", auth.getClockSkew(), "60s"));
	}

	@Bean
	@ConditionalOnMissingBean
	C2MAuthOperations c2mAuthOperations(C2MAuthClient client, C2MTokenManager tokenManager) {
		return new DefaultC2MAuthOperations(client, tokenManager);
	}

}
