package io.github.c2mspring.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.StoredLongTermTokenSource;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.CredentialLongTermTokenSource;
import io.github.c2mspring.auth.token.DefaultC2MAuthOperations;
import io.github.c2mspring.auth.token.LongTermTokenSource;
import io.github.c2mspring.auth.token.MonotonicClock;
import io.github.c2mspring.auth.token.TokenPolicy;
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
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the Click2Mail client: the auth client on the application's
 * {@link WebClient.Builder}, the long-term token source, the {@link C2MTokenManager} and the
 * {@link C2MAuthOperations} bean. Every bean backs off when the application defines its own.
 * Spring Security integration and the {@code c2mWebClient} and {@code c2mRestClient} beans come
 * from {@link C2MOAuth2ClientAutoConfiguration}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@ConditionalOnClass(value = { WebClient.class, Mono.class }, name = "reactor.netty.http.client.HttpClient")
@ConditionalOnBooleanProperty(name = "c2m.enabled", matchIfMissing = true)
@EnableConfigurationProperties(C2MProperties.class)
@Import(C2MStoreConfiguration.class)
public final class C2MAutoConfiguration {

	/** The name of an optional {@link Clock} bean that the token manager uses instead of UTC. */
	public static final String CLOCK_BEAN_NAME = "c2mClock";

	/** Without a {@code c2mClock} bean, every component measures time on this one clock. */
	private final Clock defaultClock = new MonotonicClock();

	@Bean
	@ConditionalOnMissingBean(C2MConnectionDetails.class)
	PropertiesC2MConnectionDetails c2mConnectionDetails(C2MProperties properties) {
		return new PropertiesC2MConnectionDetails(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	C2MAuthClient c2mAuthClient(C2MConnectionDetails connectionDetails, C2MProperties properties,
			ObjectProvider<WebClient.Builder> webClientBuilder, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<SslBundles> sslBundles,
			@Qualifier(CLOCK_BEAN_NAME) ObjectProvider<Clock> clock) {
		C2MProperties.Http http = properties.getHttp();
		String baseUrl = C2MSettings.checkBaseUrl(connectionDetails.getBaseUrl(), http.isAllowInsecureBaseUrl());
		int maxResponseSize = (int) Math.min(Integer.MAX_VALUE, http.getMaxResponseSize().toBytes());
		WebClient webClient = webClientBuilder.getIfAvailable(WebClient::builder)
			.baseUrl(baseUrl)
			.clientConnector(C2MHttpClients.connector(http, sslBundles.getIfAvailable(),
					C2MHttpClients.secrets(connectionDetails, http)))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(maxResponseSize))
			.build();
		C2MAuthClient client = new C2MAuthClient(webClient,
				observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP),
				C2MSettings.checkPositive("c2m.http.call-timeout", http.getCallTimeout(), "30s"));
		client.setClock(clock.getIfAvailable(() -> this.defaultClock));
		client.setMaxResponseSize(maxResponseSize);
		return client;
	}

	@Bean
	@ConditionalOnMissingBean
	LongTermTokenSource c2mLongTermTokenSource(C2MAuthClient client, C2MConnectionDetails connectionDetails,
			C2MProperties properties, @Qualifier(CLOCK_BEAN_NAME) ObjectProvider<Clock> clock,
			ObjectProvider<LongTermTokenStore> store) {
		C2MCredential credential = connectionDetails.getCredential();
		if (credential instanceof C2MCredential.PreProvisionedToken token) {
			return new PreProvisionedLongTermTokenSource(token);
		}
		C2MProperties.LongTerm longTerm = properties.getAuth().getLongTerm();
		Duration ttl = C2MSettings.checkLongTermTtl(longTerm.getTtl());
		Clock sourceClock = clock.getIfAvailable(() -> this.defaultClock);
		LongTermTokenSource issuer = new CredentialLongTermTokenSource(client, connectionDetails.getClientId(),
				credential, longTerm.getScopes(), ttl, sourceClock);
		LongTermTokenStore shared = store.getIfAvailable();
		if (shared == null) {
			return issuer;
		}
		return new StoredLongTermTokenSource(issuer, shared, connectionDetails.getClientId(), sourceClock,
				C2MSettings.checkPositive("c2m.auth.store.lease", properties.getAuth().getStore().getLease(), "30s"),
				Duration.ofMillis(200));
	}

	@Bean
	@ConditionalOnMissingBean
	C2MTokenManager c2mTokenManager(C2MAuthClient client, LongTermTokenSource longTermTokenSource,
			C2MConnectionDetails connectionDetails, C2MProperties properties,
			@Qualifier(CLOCK_BEAN_NAME) ObjectProvider<Clock> clock, ApplicationEventPublisher events) {
		C2MTokenManager manager = new C2MTokenManager(client, longTermTokenSource,
				properties.getAuth().getShortTerm().getScopes(), clock.getIfAvailable(() -> this.defaultClock),
				policy(properties.getAuth()));
		C2MProperties.LongTerm longTerm = properties.getAuth().getLongTerm();
		if (!(longTermTokenSource instanceof StoredLongTermTokenSource)) {
			// fleet-wide rotation through the store is not built yet: with a shared store, rotating
			// on one instance would strand the others, so rotation stays off there
			manager.setRotation(connectionDetails.getClientId(), longTerm.getScopes(), longTerm.getTtl());
		}
		manager.setEventListener(events::publishEvent);
		return manager;
	}

	static TokenPolicy policy(C2MProperties.Auth auth) {
		C2MProperties.ShortTerm shortTerm = auth.getShortTerm();
		C2MProperties.Rotation rotation = auth.getLongTerm().getRotation();
		double refreshAt = C2MSettings.checkFraction("c2m.auth.short-term.refresh-at", shortTerm.getRefreshAt(), "0.5");
		double jitter = shortTerm.getRefreshJitter();
		if (jitter < 0 || jitter >= Math.min(refreshAt, 1 - refreshAt)) {
			throw new C2MConfigurationException("c2m.auth.short-term.refresh-jitter",
					"must be at least 0 and keep refresh-at +/- refresh-jitter between 0 and 1, not " + jitter,
					"Set c2m.auth.short-term.refresh-jitter to a small fraction such as 0.1.");
		}
		Duration initial = C2MSettings.checkPositive("c2m.auth.retry.initial-backoff",
				auth.getRetry().getInitialBackoff(), "1s");
		Duration max = C2MSettings.checkPositive("c2m.auth.retry.max-backoff", auth.getRetry().getMaxBackoff(), "60s");
		if (max.compareTo(initial) < 0) {
			throw new C2MConfigurationException("c2m.auth.retry.max-backoff",
					"is shorter than c2m.auth.retry.initial-backoff (" + max + " < " + initial + ")",
					"Set c2m.auth.retry.max-backoff to at least c2m.auth.retry.initial-backoff.");
		}
		return TokenPolicy.defaults()
			.withSafetyMargin(C2MSettings.checkNotNegative("c2m.auth.clock-skew", auth.getClockSkew(), "60s"))
			.withRefresh(refreshAt, jitter)
			.withBackoff(initial, max)
			.withRotation(rotation.isEnabled(),
					C2MSettings.checkFraction("c2m.auth.long-term.rotation.rotate-at", rotation.getRotateAt(), "0.5"),
					(rotation.getRotateBefore() != null) ? C2MSettings.checkNotNegative(
							"c2m.auth.long-term.rotation.rotate-before", rotation.getRotateBefore(), "7d") : null,
					rotation.isRevokePrevious());
	}

	@Bean
	@ConditionalOnBooleanProperty("c2m.auth.revoke-on-shutdown")
	C2MShutdownRevoker c2mShutdownRevoker(C2MTokenManager tokenManager, C2MProperties properties) {
		return new C2MShutdownRevoker(tokenManager, C2MSettings.checkPositive("c2m.auth.revoke-on-shutdown-timeout",
				properties.getAuth().getRevokeOnShutdownTimeout(), "5s"));
	}

	@Bean
	@ConditionalOnMissingBean
	C2MAuthOperations c2mAuthOperations(C2MAuthClient client, C2MTokenManager tokenManager) {
		return new DefaultC2MAuthOperations(client, tokenManager);
	}

}
