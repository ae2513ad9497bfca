package io.github.c2mspring.autoconfigure;

import java.time.Clock;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.client.C2MAuthObservationConvention;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.C2MTokenManagerBuilder;
import io.github.c2mspring.auth.token.DefaultC2MAuthOperations;
import io.github.c2mspring.auth.token.LongTermTokenSource;
import io.github.c2mspring.auth.token.MonotonicClock;
import io.github.c2mspring.auth.token.TokenExecution;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the Click2Mail client: the auth client on the application's
 * {@link WebClient.Builder}, the long-term token source, the {@link C2MTokenManager} and
 * the {@link C2MAuthOperations} bean. Every bean backs off when the application defines
 * its own. Spring Security integration and the {@code c2mWebClient} and
 * {@code c2mRestClient} beans come from {@link C2MOAuth2ClientAutoConfiguration}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
@ConditionalOnClass(value = { WebClient.class, Mono.class }, name = "reactor.netty.http.client.HttpClient")
@ConditionalOnBooleanProperty(name = "c2m.enabled", matchIfMissing = true)
@EnableConfigurationProperties(C2MProperties.class)
@Import(C2MStoreConfiguration.class)
public final class C2MAutoConfiguration {

	/**
	 * The name of an optional {@link Clock} bean that the token manager uses instead of
	 * UTC.
	 */
	public static final String CLOCK_BEAN_NAME = "c2mClock";

	/** The name of the scheduler bean of the store calls, which the context disposes. */
	public static final String STORE_SCHEDULER_BEAN_NAME = "c2mStoreScheduler";

	/**
	 * Without a {@code c2mClock} bean, every component measures time on this one clock.
	 */
	private final Clock defaultClock = new MonotonicClock();

	/**
	 * Checks the {@code c2m.*} keys before any bean is created: an unresolved placeholder
	 * or a key that binds to nothing is the first thing startup reports.
	 * @return the check
	 */
	@Bean
	static C2MPropertiesCheck c2mPropertiesCheck() {
		return new C2MPropertiesCheck();
	}

	/**
	 * Checks the settings of the lazy beans below when the context has started.
	 * @return the check
	 */
	@Bean
	C2MStartupCheck c2mStartupCheck(ConfigurableListableBeanFactory beanFactory, C2MConnectionDetails connectionDetails,
			C2MProperties properties, ObjectProvider<SslBundles> sslBundles, ObjectProvider<LongTermTokenStore> store,
			ConfigurableEnvironment environment) {
		return new C2MStartupCheck(beanFactory, connectionDetails, properties, sslBundles, store, environment);
	}

	@Bean
	@ConditionalOnMissingBean(C2MConnectionDetails.class)
	PropertiesC2MConnectionDetails c2mConnectionDetails(C2MProperties properties) {
		return new PropertiesC2MConnectionDetails(properties);
	}

	/**
	 * What builds the parts of an account, for the default account's beans and for
	 * {@link C2MClients}.
	 * @return the parts' builder
	 */
	@Bean
	@Lazy
	C2MClientParts c2mClientParts(C2MProperties properties, ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<ObservationRegistry> observationRegistry, ObjectProvider<SslBundles> sslBundles,
			@Qualifier(CLOCK_BEAN_NAME) ObjectProvider<Clock> clock,
			ObjectProvider<C2MAuthObservationConvention> observationConvention,
			ObjectProvider<LongTermTokenStore> store,
			@Qualifier(STORE_SCHEDULER_BEAN_NAME) ObjectProvider<Scheduler> storeScheduler,
			ObjectProvider<C2MTokenEventPublisher> events, ObjectProvider<C2MTokenManagerCustomizer> customizers) {
		return new C2MClientParts(!properties.getClients().isEmpty(), webClientBuilder, observationRegistry, sslBundles,
				clock.getIfAvailable(() -> this.defaultClock), observationConvention, store, storeScheduler, events,
				customizers);
	}

	/**
	 * Every account by name: the default one and those of {@code c2m.clients}.
	 * @return the accounts
	 */
	@Bean
	@ConditionalOnMissingBean
	@Lazy
	C2MClients c2mClients(C2MProperties properties, ConfigurableEnvironment environment, C2MClientParts parts,
			ObjectProvider<C2MTokenManager> tokenManager, ObjectProvider<C2MAuthOperations> operations,
			ObjectProvider<C2MClients.C2MClientHttpClients> httpClients, C2MCreatedTokenManagers tokenManagers) {
		return new C2MClients(properties, environment, parts, tokenManager, operations, httpClients, tokenManagers);
	}

	@Bean
	@ConditionalOnMissingBean
	@Lazy
	C2MAuthClient c2mAuthClient(C2MClientParts parts, C2MConnectionDetails connectionDetails,
			C2MProperties properties) {
		return parts.authClient(C2MClientSettings.DEFAULT, connectionDetails, properties);
	}

	@Bean
	@ConditionalOnMissingBean
	@Lazy
	LongTermTokenSource c2mLongTermTokenSource(C2MClientParts parts, C2MAuthClient client,
			C2MConnectionDetails connectionDetails, C2MProperties properties) {
		return parts.longTermTokenSource(client, connectionDetails, properties);
	}

	/**
	 * The builder of the token manager, filled from {@code c2m.*} (store, rotation,
	 * events, clock, policy, execution) with every {@link C2MTokenManagerCustomizer}
	 * applied; a new one for each injection point, so that an application's own
	 * {@link C2MTokenManager} bean built from it keeps what the starter wires.
	 * @return the builder
	 */
	@Bean
	@Scope("prototype")
	@ConditionalOnMissingBean
	C2MTokenManagerBuilder c2mTokenManagerBuilder(C2MClientParts parts, C2MAuthClient client,
			LongTermTokenSource longTermTokenSource, C2MConnectionDetails connectionDetails, C2MProperties properties) {
		return parts.tokenManagerBuilder(C2MClientSettings.DEFAULT, client, longTermTokenSource, connectionDetails,
				properties);
	}

	@Bean
	@ConditionalOnMissingBean
	@Lazy
	C2MTokenManager c2mTokenManager(C2MTokenManagerBuilder c2mTokenManagerBuilder) {
		return c2mTokenManagerBuilder.build();
	}

	/**
	 * The scheduler of the calls of a blocking long-term token store: the starter's own,
	 * so that it never needs a thread of a shared pool that the application's callers may
	 * all be holding while they wait for a token. Disposed when the context closes.
	 * @return the scheduler
	 */
	@Bean(name = STORE_SCHEDULER_BEAN_NAME, destroyMethod = "dispose", defaultCandidate = false)
	@ConditionalOnMissingBean(name = STORE_SCHEDULER_BEAN_NAME)
	@Lazy
	Scheduler c2mStoreScheduler() {
		return TokenExecution.newStoreScheduler();
	}

	/**
	 * The token events, published in order off the network threads, on a thread of the
	 * starter's own (see {@link C2MTokenEventPublisher} for why not on the application's
	 * task executor).
	 */
	@Bean
	@Lazy
	C2MTokenEventPublisher c2mTokenEventPublisher(ApplicationEventPublisher events) {
		return new C2MTokenEventPublisher(events);
	}

	/**
	 * The token managers created so far, for the background check and the shutdown
	 * revocation, which must not create one.
	 * @return the tracker
	 */
	@Bean
	static C2MCreatedTokenManagers c2mCreatedTokenManagers() {
		return new C2MCreatedTokenManagers("c2mLongTermTokenChecker", "c2mShutdownRevoker");
	}

	@Bean
	C2MLongTermTokenChecker c2mLongTermTokenChecker(C2MCreatedTokenManagers tokenManagers, C2MProperties properties) {
		return new C2MLongTermTokenChecker(tokenManagers,
				C2MSettings.checkPositive("c2m.auth.store.check-interval",
						properties.getAuth().getStore().getCheckInterval(), "1m"),
				C2MSettings.checkPositive("c2m.auth.revoke-on-shutdown-timeout",
						properties.getAuth().getRevokeOnShutdownTimeout(), "5s"));
	}

	@Bean
	@ConditionalOnBooleanProperty("c2m.auth.revoke-on-shutdown")
	C2MShutdownRevoker c2mShutdownRevoker(C2MCreatedTokenManagers tokenManagers, C2MProperties properties) {
		return new C2MShutdownRevoker(tokenManagers, C2MSettings.checkPositive("c2m.auth.revoke-on-shutdown-timeout",
				properties.getAuth().getRevokeOnShutdownTimeout(), "5s"));
	}

	@Bean
	@ConditionalOnMissingBean
	@Lazy
	C2MAuthOperations c2mAuthOperations(C2MAuthClient client, C2MTokenManager tokenManager) {
		return new DefaultC2MAuthOperations(client, tokenManager);
	}

}
