package io.github.c2mspring.autoconfigure;

import java.util.Arrays;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Keeps Spring Security's default {@code OAuth2AuthorizedClientManager} (and its reactive
 * twin) in an application that relies on it.
 * <p>
 * Spring Security registers a default manager only when the application has none; it
 * counts every bean of the type, including the starter's
 * {@code c2mAuthorizedClientManager} (which is not a default candidate and so never
 * injected without its qualifier). Without this registrar, adding the starter would take
 * away the manager an application injects. When every manager bean is the starter's and
 * Spring Security's own conditions hold (its registrar is present, exactly one client
 * registration repository and one authorized client repository), this registers the very
 * bean definition Spring Security would have registered: the same factory method on
 * Spring Security's own registrar, so the manager is built by Spring Security, not
 * copied. Whichever of the two registrars runs first, exactly one default is registered.
 */
final class SpringSecurityDefaultManagerRegistrar implements BeanDefinitionRegistryPostProcessor, Ordered {

	static final String SECURITY_REGISTRAR_BEAN_NAME = "authorizedClientManagerRegistrar";

	static final String SECURITY_FACTORY_METHOD_NAME = "getAuthorizedClientManager";

	private static final String SERVLET_REGISTRAR = "org.springframework.security.config.annotation.web.configuration."
			+ "OAuth2ClientConfiguration$OAuth2AuthorizedClientManagerRegistrar";

	private static final String REACTIVE_REGISTRAR = "org.springframework.security.config.annotation.web.reactive."
			+ "ReactiveOAuth2ClientConfiguration$ReactiveOAuth2AuthorizedClientManagerRegistrar";

	private final AnnotationBeanNameGenerator beanNameGenerator = new AnnotationBeanNameGenerator();

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
		if (!(registry instanceof ConfigurableListableBeanFactory beanFactory)
				|| !registry.containsBeanDefinition(SECURITY_REGISTRAR_BEAN_NAME)) {
			return;
		}
		Class<?> registrarType = beanFactory.getType(SECURITY_REGISTRAR_BEAN_NAME, false);
		if (registrarType == null) {
			return;
		}
		ClassLoader classLoader = beanFactory.getBeanClassLoader();
		if (SERVLET_REGISTRAR.equals(registrarType.getName())) {
			registerIfNeeded(registry, beanFactory, classLoader,
					"org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager",
					Set.of(C2MOAuth2ClientAutoConfiguration.AUTHORIZED_CLIENT_MANAGER_BEAN_NAME),
					"org.springframework.security.oauth2.client.registration.ClientRegistrationRepository",
					"org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository", null);
		}
		else if (REACTIVE_REGISTRAR.equals(registrarType.getName())) {
			registerIfNeeded(registry, beanFactory, classLoader,
					"org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager",
					Set.of(C2MOAuth2ClientAutoConfiguration.REACTIVE_AUTHORIZED_CLIENT_MANAGER_BEAN_NAME),
					"org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository",
					"org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository",
					"org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService");
		}
	}

	private void registerIfNeeded(BeanDefinitionRegistry registry, ConfigurableListableBeanFactory beanFactory,
			@Nullable ClassLoader classLoader, String managerType, Set<String> ownManagers,
			String registrationRepositoryType, String authorizedClientRepositoryType,
			@Nullable String authorizedClientServiceType) {
		if (!ClassUtils.isPresent(managerType, classLoader)) {
			return;
		}
		Class<?> manager = ClassUtils.resolveClassName(managerType, classLoader);
		String[] managers = names(beanFactory, manager);
		if (managers.length == 0 || !ownManagers.containsAll(Arrays.asList(managers))) {
			return;
		}
		if (count(beanFactory, registrationRepositoryType, classLoader) != 1) {
			return;
		}
		boolean oneRepository = count(beanFactory, authorizedClientRepositoryType, classLoader) == 1;
		boolean oneService = authorizedClientServiceType != null
				&& count(beanFactory, authorizedClientServiceType, classLoader) == 1;
		if (!oneRepository && !oneService) {
			return;
		}
		BeanDefinition definition = BeanDefinitionBuilder.rootBeanDefinition(manager)
			.setFactoryMethodOnBean(SECURITY_FACTORY_METHOD_NAME, SECURITY_REGISTRAR_BEAN_NAME)
			.getBeanDefinition();
		registry.registerBeanDefinition(this.beanNameGenerator.generateBeanName(definition, registry), definition);
	}

	private static int count(ConfigurableListableBeanFactory beanFactory, String type,
			@Nullable ClassLoader classLoader) {
		if (!ClassUtils.isPresent(type, classLoader)) {
			return 0;
		}
		return names(beanFactory, ClassUtils.resolveClassName(type, classLoader)).length;
	}

	private static String[] names(ConfigurableListableBeanFactory beanFactory, Class<?> type) {
		return BeanFactoryUtils.beanNamesForTypeIncludingAncestors(beanFactory, type, true, true);
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
