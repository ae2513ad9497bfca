package io.github.c2mspring.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.c2mspring.auth.token.C2MTokenManager;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.Assert;

/**
 * The token managers of an application context that exist so far, for the beans that look
 * after them in the background and at shutdown. The starter's manager is lazy (built at
 * its first use, not at startup), and a manager never used holds no token to look after,
 * so these beans must not create one: they ask this tracker, which sees every
 * {@link C2MTokenManager} bean as it is initialized, and declares each of them a
 * dependent of that manager, so that they are destroyed before it and before everything
 * it is built from (the store's scheduler, for one).
 */
final class C2MCreatedTokenManagers implements BeanPostProcessor, BeanFactoryAware {

	private final List<String> dependents;

	private final List<C2MTokenManager> managers = new CopyOnWriteArrayList<>();

	private final List<Consumer<C2MTokenManager>> listeners = new CopyOnWriteArrayList<>();

	private @Nullable ConfigurableBeanFactory beanFactory;

	/**
	 * Track the managers for the given beans.
	 * @param dependents the names of the beans that use the managers found
	 */
	C2MCreatedTokenManagers(String... dependents) {
		this.dependents = List.of(dependents);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		Assert.isInstanceOf(ConfigurableBeanFactory.class, beanFactory);
		this.beanFactory = (ConfigurableBeanFactory) beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof C2MTokenManager manager) {
			ConfigurableBeanFactory factory = this.beanFactory;
			if (factory != null) {
				this.dependents.stream()
					.filter(factory::containsBean)
					.forEach((dependent) -> factory.registerDependentBean(beanName, dependent));
			}
			add(manager);
		}
		return bean;
	}

	/**
	 * Track a manager that is no bean: one of a named account of {@link C2MClients}.
	 * @param manager the manager
	 */
	void add(C2MTokenManager manager) {
		this.managers.add(manager);
		this.listeners.forEach((listener) -> listener.accept(manager));
	}

	/**
	 * Have the given listener told of every manager initialized from now on.
	 * @param listener the listener
	 */
	void whenCreated(Consumer<C2MTokenManager> listener) {
		this.listeners.add(listener);
	}

	/**
	 * The managers initialized so far.
	 * @return the managers, in the order they were initialized
	 */
	List<C2MTokenManager> get() {
		return this.managers;
	}

}
