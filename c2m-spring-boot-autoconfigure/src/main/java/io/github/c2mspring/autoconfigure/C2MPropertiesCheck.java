package io.github.c2mspring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.ConcurrentReferenceHashMap;

/**
 * Checks the {@code c2m.*} keys of the environment before any bean is created, so that a
 * mistake is the first thing startup reports:
 * <ul>
 * <li>a value still holding an unresolved {@code ${...}} placeholder (an unset
 * environment variable) fails, naming the property and the variable, never the
 * value;</li>
 * <li>a key that binds to nothing fails, naming the closest known key
 * ({@code c2m.strict-properties=false} logs a warning instead).</li>
 * </ul>
 * The known keys are those of the configuration metadata
 * ({@code META-INF/spring-configuration-metadata.json}) of every jar, so keys of other
 * modules ({@code c2m.emulator.*}) are known where those modules are present; every
 * relaxed form Spring Boot binds is accepted. Environment variables are often named like
 * the property they feed a placeholder ({@code C2M_CLIENT_SECRET}), so one is reported
 * only when it falls inside a known group ({@code C2M_AUTH_...}) and matches no known key
 * even with its underscores read as dashes.
 */
final class C2MPropertiesCheck implements BeanFactoryPostProcessor, EnvironmentAware, BeanClassLoaderAware, Ordered {

	static final String STRICT_PROPERTY = "c2m.strict-properties";

	private static final Log logger = LogFactory.getLog(C2MPropertiesCheck.class);

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("c2m");

	private static final ConfigurationPropertyName CLIENTS = ConfigurationPropertyName.of("c2m.clients");

	/**
	 * Variables Kubernetes sets for a Service whose name starts with c2m (c2m-auth,
	 * c2m-http...).
	 */
	private static final Pattern SERVICE_LINK = Pattern
		.compile("c2m(\\.[a-z0-9-]+)+\\.(service\\.(host|port)|port)([.\\[].*)?");

	private static final Map<ClassLoader, C2MPropertiesMetadata> cache = new ConcurrentReferenceHashMap<>();

	/** The properties section of the starter's own metadata, read once. */
	private static final String ownProperties = C2MPropertiesMetadata.ownPropertiesText();

	private @Nullable Environment environment;

	private ClassLoader classLoader = C2MPropertiesCheck.class.getClassLoader();

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (!(this.environment instanceof ConfigurableEnvironment environment)) {
			return;
		}
		Map<ConfigurationPropertyName, Entry> entries = entries(environment);
		C2MUnresolvedPlaceholders.check(environment, entries);
		checkKeys(environment, entries, beanFactory);
	}

	/**
	 * The {@code c2m.*} keys, each from the highest-priority source that has it.
	 */
	private static Map<ConfigurationPropertyName, Entry> entries(ConfigurableEnvironment environment) {
		Map<ConfigurationPropertyName, Entry> entries = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				boolean variables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
				// loops, not streams: this runs at every startup
				for (ConfigurationPropertyName name : iterable) {
					if (PREFIX.isAncestorOf(name)) {
						entries.putIfAbsent(name, new Entry(source, variables));
					}
				}
			}
		}
		return entries;
	}

	private void checkKeys(ConfigurableEnvironment environment, Map<ConfigurationPropertyName, Entry> entries,
			ConfigurableListableBeanFactory beanFactory) {
		if (allNamedByTheStarter(entries.keySet())) {
			// every key is a property the starter describes: no need to parse metadata
			return;
		}
		C2MPropertiesMetadata own = OwnMetadata.INSTANCE;
		if (own.describes(PREFIX)
				&& entries.keySet().stream().allMatch((name) -> own.accepts(asDefaultAccountKey(name), false))) {
			// every key is one the starter describes (below a map, for one): no need to
			// read the metadata of every jar
			return;
		}
		C2MPropertiesMetadata known = cache.computeIfAbsent(this.classLoader, C2MPropertiesMetadata::load);
		if (!known.describes(PREFIX)) {
			logger.debug("No configuration metadata for c2m.*: misspelt c2m.* keys are not reported");
			return;
		}
		List<ConfigurationPropertyName> boundElsewhere = undescribedPrefixes(beanFactory, known);
		List<String> unknown = new ArrayList<>();
		String first = null;
		String firstDetails = null;
		String closestToFirst = null;
		List<String> unknownVariables = new ArrayList<>();
		for (Map.Entry<ConfigurationPropertyName, Entry> item : entries.entrySet()) {
			ConfigurationPropertyName name = item.getKey();
			boolean variable = item.getValue().variables();
			if (known.accepts(asDefaultAccountKey(name), variable)
					|| boundElsewhere.stream().anyMatch((prefix) -> prefix.isAncestorOf(name))
					|| (variable && SERVICE_LINK.matcher(name.toString()).matches())) {
				continue;
			}
			String closest = known.closest(asDefaultAccountKey(name));
			if (closest != null && !asDefaultAccountKey(name).equals(name)) {
				// c2m.clients.NAME.x is checked as c2m.x, and suggested in its own form
				closest = C2MClientSettings.property(name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL),
						closest);
			}
			ConfigurationProperty property = item.getValue().source().getConfigurationProperty(name);
			List<String> details = new ArrayList<>();
			if (property != null && property.getOrigin() != null) {
				details.add("from " + property.getOrigin());
			}
			if (closest != null) {
				details.add("the closest known one is " + closest);
			}
			String described = details.isEmpty() ? "" : " (" + String.join("; ", details) + ")";
			if (variable) {
				// the environment is shared with other software: a variable is reported,
				// never fatal
				unknownVariables.add(name + described);
				continue;
			}
			unknown.add(name + described);
			if (first == null) {
				first = name.toString();
				firstDetails = described;
				closestToFirst = closest;
			}
		}
		if (!unknownVariables.isEmpty()) {
			logger.warn("Environment variables under C2M_ that bind to no Click2Mail property are ignored: "
					+ String.join(", ", unknownVariables));
		}
		if (first == null) {
			// no unknown key (first is set with the first one)
			return;
		}
		if (!Binder.get(environment).bind(STRICT_PROPERTY, Boolean.class).orElse(true)) {
			logger.warn("Unknown Click2Mail properties are ignored: " + String.join(", ", unknown));
			return;
		}
		String description = (unknown.size() == 1) ? "is not a known property and would be ignored" + firstDetails
				: "is one of " + unknown.size() + " unknown properties, which would be ignored: "
						+ String.join(", ", unknown);
		String rename = (closestToFirst != null) ? "Rename " + first + " to " + closestToFirst + " (or remove it)"
				: "Remove " + first + " (or correct it)";
		throw new C2MConfigurationException(first, description,
				rename + ((unknown.size() > 1) ? ", and correct the others listed" : "") + ". To only log unknown "
						+ "c2m.* keys, set " + STRICT_PROPERTY + "=false.");
	}

	/**
	 * A key of a named account, {@code c2m.clients.NAME.x}, as the key {@code c2m.x} it
	 * sets for that account (not below another {@code c2m.clients}); any other key as it
	 * is.
	 */
	static ConfigurationPropertyName asDefaultAccountKey(ConfigurationPropertyName name) {
		if (!CLIENTS.isAncestorOf(name) || name.getNumberOfElements() <= 3) {
			return name;
		}
		ConfigurationPropertyName key = ConfigurationPropertyName.of("c2m." + name.subName(3));
		return CLIENTS.isAncestorOf(key) || CLIENTS.equals(key) ? name : key;
	}

	private static boolean allNamedByTheStarter(Set<ConfigurationPropertyName> names) {
		for (ConfigurationPropertyName name : names) {
			if (!C2MPropertiesMetadata.namesProperty(ownProperties, asDefaultAccountKey(name))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Prefixes of {@code @ConfigurationProperties} beans under {@code c2m} whose
	 * properties no metadata describes (a module compiled without the configuration
	 * processor): their keys are taken as known.
	 */
	private static List<ConfigurationPropertyName> undescribedPrefixes(ConfigurableListableBeanFactory beanFactory,
			C2MPropertiesMetadata known) {
		List<ConfigurationPropertyName> prefixes = new ArrayList<>();
		for (String beanName : beanFactory.getBeanDefinitionNames()) {
			// from the definitions only: nothing may be created this early
			BeanDefinition definition = beanFactory.getBeanDefinition(beanName);
			MergedAnnotation<ConfigurationProperties> annotation = MergedAnnotation.missing();
			if (definition instanceof AnnotatedBeanDefinition annotated) {
				annotation = annotated.getMetadata().getAnnotations().get(ConfigurationProperties.class);
			}
			else if (definition instanceof AbstractBeanDefinition typed && typed.hasBeanClass()) {
				annotation = MergedAnnotations.from(typed.getBeanClass()).get(ConfigurationProperties.class);
			}
			if (annotation.isPresent()) {
				String prefix = annotation.getString("prefix");
				ConfigurationPropertyName name = ConfigurationPropertyName.of(prefix);
				if (PREFIX.isAncestorOf(name) && !known.describesPropertiesUnder(name)) {
					prefixes.add(name);
				}
			}
		}
		return prefixes;
	}

	/**
	 * The parsed metadata of the starter's own jar, read at its first use.
	 */
	private static final class OwnMetadata {

		static final C2MPropertiesMetadata INSTANCE = C2MPropertiesMetadata.loadOwn();

	}

	/**
	 * Where a key was found.
	 *
	 * @param source its source, the highest-priority one that has it
	 * @param variables whether that source is the environment's variables
	 */
	record Entry(ConfigurationPropertySource source, boolean variables) {
	}

}
