package io.github.c2mspring.autoconfigure;

import java.time.Clock;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.client.C2MAuthObservationConvention;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.C2MTokenManagerBuilder;
import io.github.c2mspring.auth.token.CredentialLongTermTokenSource;
import io.github.c2mspring.auth.token.LongTermTokenSource;
import io.github.c2mspring.auth.token.PreProvisionedLongTermTokenSource;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.scheduler.Scheduler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builds the parts of one Click2Mail account from its settings: its auth client, its
 * long-term token source and the builder of its token manager, on what every account
 * shares (the application's {@link WebClient.Builder}, observation registry, SSL bundles,
 * clock, long-term token store, the store's scheduler, the event publisher and the
 * {@link C2MTokenManagerCustomizer}s). The default account's beans and every account of
 * {@link C2MClients} are built here, so a second account is a second set of the same
 * parts.
 */
final class C2MClientParts {

	private static final Log logger = LogFactory.getLog(C2MClientParts.class);

	private final ObjectProvider<WebClient.Builder> webClientBuilder;

	private final ObjectProvider<ObservationRegistry> observationRegistry;

	private final ObjectProvider<SslBundles> sslBundles;

	private final Clock clock;

	private final ObjectProvider<C2MAuthObservationConvention> observationConvention;

	private final ObjectProvider<LongTermTokenStore> store;

	private final ObjectProvider<Scheduler> storeScheduler;

	private final ObjectProvider<C2MTokenEventPublisher> events;

	private final ObjectProvider<C2MTokenManagerCustomizer> customizers;

	private final boolean severalAccounts;

	C2MClientParts(boolean severalAccounts, ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<ObservationRegistry> observationRegistry, ObjectProvider<SslBundles> sslBundles, Clock clock,
			ObjectProvider<C2MAuthObservationConvention> observationConvention,
			ObjectProvider<LongTermTokenStore> store, ObjectProvider<Scheduler> storeScheduler,
			ObjectProvider<C2MTokenEventPublisher> events, ObjectProvider<C2MTokenManagerCustomizer> customizers) {
		this.webClientBuilder = webClientBuilder;
		this.observationRegistry = observationRegistry;
		this.sslBundles = sslBundles;
		this.clock = clock;
		this.observationConvention = observationConvention;
		this.store = store;
		this.storeScheduler = storeScheduler;
		this.events = events;
		this.customizers = customizers;
		this.severalAccounts = severalAccounts;
	}

	Clock clock() {
		return this.clock;
	}

	C2MAuthClient authClient(String name, C2MConnectionDetails connectionDetails, C2MProperties properties) {
		C2MHttpClients.AuthCalls calls = C2MHttpClients.AuthCalls.check(connectionDetails, properties.getHttp(),
				this.sslBundles.getIfAvailable());
		WebClient webClient = new LazyWebClient(() -> this.webClientBuilder.getIfAvailable(WebClient::builder)
			.baseUrl(calls.baseUrl())
			.clientConnector(calls.connector().get())
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(calls.maxResponseSize()))
			.build());
		C2MAuthClient.Builder builder = C2MAuthClient.builder(webClient);
		if (this.severalAccounts) {
			// the calls' observation tells the accounts apart; with one, it is as it was
			builder.name(name);
		}
		return builder.observationRegistry(this.observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP))
			.observationConvention(this.observationConvention.getIfAvailable())
			.callTimeout(calls.callTimeout())
			.clock(this.clock)
			.maxResponseSize(calls.maxResponseSize())
			.build();
	}

	LongTermTokenSource longTermTokenSource(C2MAuthClient client, C2MConnectionDetails connectionDetails,
			C2MProperties properties) {
		C2MCredential credential = connectionDetails.getCredential();
		if (credential instanceof C2MCredential.PreProvisionedToken token) {
			return new PreProvisionedLongTermTokenSource(token);
		}
		C2MProperties.LongTerm longTerm = properties.getAuth().getLongTerm();
		return new CredentialLongTermTokenSource(client, connectionDetails.getClientId(), credential,
				longTerm.getScopes(), C2MSettings.checkLongTermTtl(longTerm.getTtl()), this.clock);
	}

	/**
	 * The builder of an account's token manager, filled from its settings (store,
	 * rotation, events, clock, policy, execution) with every
	 * {@link C2MTokenManagerCustomizer} applied.
	 */
	C2MTokenManagerBuilder tokenManagerBuilder(String name, C2MAuthClient client,
			LongTermTokenSource longTermTokenSource, C2MConnectionDetails connectionDetails, C2MProperties properties) {
		C2MTokenSettings.Checked settings = C2MTokenSettings.check(properties, this.store.getIfUnique());
		C2MProperties.LongTerm longTerm = properties.getAuth().getLongTerm();
		C2MTokenManagerBuilder builder = C2MTokenManager.builder(client, longTermTokenSource)
			.name(name)
			.defaultScopes(properties.getAuth().getShortTerm().getScopes())
			.clock(this.clock)
			.policy(settings.policy())
			.execution(settings.execution(this.storeScheduler.getObject()))
			.rotation(connectionDetails.getClientId(), longTerm.getScopes(), longTerm.getTtl())
			.eventListener(this.events.getObject());
		if (longTermTokenSource.canIssue()) {
			builder.longTermTokenStore(settings.store(), connectionDetails.getClientId(), settings.lease(),
					settings.checkInterval());
		}
		else if (properties.getAuth().getStore().getType() != C2MProperties.Store.Type.MEMORY) {
			logger.info("A pre-provisioned C2M long-term token is configured on every instance; it is not kept in "
					+ "the " + properties.getAuth().getStore().getType() + " store");
		}
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder;
	}

}
