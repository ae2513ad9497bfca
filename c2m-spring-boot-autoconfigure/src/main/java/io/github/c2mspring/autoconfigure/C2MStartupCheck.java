package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.store.LongTermTokenStore;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.MethodMetadata;

/**
 * Checks, when the context has started, the settings of the starter's lazy beans: the
 * auth client, the long-term token source, the token manager and the {@code c2mWebClient}
 * and {@code c2mRestClient} are built at their first use (nothing that can wait for the
 * first call runs at startup), but a bad setting of theirs is still reported at startup,
 * with the message their creation would give. Each check runs only where the bean is the
 * starter's own, not one of the application's that replaced it.
 */
final class C2MStartupCheck implements SmartInitializingSingleton {

	private static final String AUTH_CLIENT = "c2mAuthClient";

	private static final String LONG_TERM_TOKEN_SOURCE = "c2mLongTermTokenSource";

	private static final String TOKEN_MANAGER_BUILDER = "c2mTokenManagerBuilder";

	private final ConfigurableListableBeanFactory beanFactory;

	private final C2MConnectionDetails connectionDetails;

	private final C2MProperties properties;

	private final ObjectProvider<SslBundles> sslBundles;

	private final ObjectProvider<LongTermTokenStore> store;

	private final ConfigurableEnvironment environment;

	C2MStartupCheck(ConfigurableListableBeanFactory beanFactory, C2MConnectionDetails connectionDetails,
			C2MProperties properties, ObjectProvider<SslBundles> sslBundles, ObjectProvider<LongTermTokenStore> store,
			ConfigurableEnvironment environment) {
		this.beanFactory = beanFactory;
		this.environment = environment;
		this.connectionDetails = connectionDetails;
		this.properties = properties;
		this.sslBundles = sslBundles;
		this.store = store;
	}

	@Override
	public void afterSingletonsInstantiated() {
		// plain code, no lambdas: this runs at every startup
		String bean = AUTH_CLIENT;
		try {
			if (isOurs(AUTH_CLIENT)) {
				checkHttpCalls();
			}
			bean = LONG_TERM_TOKEN_SOURCE;
			if (isOurs(LONG_TERM_TOKEN_SOURCE)
					&& !(this.connectionDetails.getCredential() instanceof C2MCredential.PreProvisionedToken)) {
				this.connectionDetails.getClientId();
				C2MSettings.checkLongTermTtl(this.properties.getAuth().getLongTerm().getTtl());
			}
			bean = TOKEN_MANAGER_BUILDER;
			if (isOurs(TOKEN_MANAGER_BUILDER)) {
				C2MTokenSettings.check(this.properties, this.store.getIfUnique());
				this.connectionDetails.getClientId();
			}
			bean = isOurs(C2MOAuth2ClientAutoConfiguration.WEB_CLIENT_BEAN_NAME)
					? C2MOAuth2ClientAutoConfiguration.WEB_CLIENT_BEAN_NAME
					: C2MOAuth2ClientAutoConfiguration.REST_CLIENT_BEAN_NAME;
			if (isOurs(bean)) {
				checkHttpCalls();
				this.connectionDetails.getClientId();
			}
		}
		catch (RuntimeException ex) {
			// reported as the bean's creation would report it
			throw new BeanCreationException(bean,
					"Invalid settings, checked at startup (the bean itself is created at its first use)", ex);
		}
		if (!this.properties.getClients().isEmpty()) {
			checkNamedAccounts();
		}
	}

	/**
	 * Every account of {@code c2m.clients}: its name, and everything its parts are built
	 * from, reported under its own properties.
	 */
	private void checkNamedAccounts() {
		for (String name : C2MClientSettings.names(this.properties)) {
			C2MProperties settings = C2MClientSettings.of(this.environment, name);
			C2MConnectionDetails details = new PropertiesC2MConnectionDetails(settings);
			try {
				C2MHttpClients.AuthCalls.check(details, settings.getHttp(), this.sslBundles.getIfAvailable());
				details.getClientId();
				if (!(details.getCredential() instanceof C2MCredential.PreProvisionedToken)) {
					C2MSettings.checkLongTermTtl(settings.getAuth().getLongTerm().getTtl());
				}
				C2MTokenSettings.check(settings, this.store.getIfUnique());
			}
			catch (RuntimeException ex) {
				throw new BeanCreationException("c2mClients",
						"Invalid settings of the Click2Mail account '" + name
								+ "', checked at startup (its parts are created at their first use)",
						C2MClientSettings.named(name, ex));
			}
		}
	}

	private void checkHttpCalls() {
		C2MHttpClients.AuthCalls.check(this.connectionDetails, this.properties.getHttp(),
				this.sslBundles.getIfAvailable());
	}

	private boolean isOurs(String beanName) {
		if (!this.beanFactory.containsBeanDefinition(beanName)) {
			return false;
		}
		MethodMetadata factoryMethod = factoryMethod(this.beanFactory.getBeanDefinition(beanName));
		return factoryMethod != null
				&& factoryMethod.getDeclaringClassName().startsWith(C2MAutoConfiguration.class.getPackageName() + ".");
	}

	private static @Nullable MethodMetadata factoryMethod(Object definition) {
		return (definition instanceof AnnotatedBeanDefinition annotated) ? annotated.getFactoryMethodMetadata() : null;
	}

}
