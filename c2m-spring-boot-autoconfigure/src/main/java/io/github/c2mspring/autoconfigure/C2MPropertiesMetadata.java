package io.github.c2mspring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.util.StreamUtils;

/**
 * The {@code c2m.*} keys the configuration metadata on the classpath describes
 * ({@code META-INF/spring-configuration-metadata.json} and
 * {@code additional-spring-configuration-metadata.json} of every jar), as
 * {@link C2MPropertiesCheck} reads them: properties, containers (maps and collections,
 * below which any key binds) and groups.
 */
final class C2MPropertiesMetadata {

	private static final String[] METADATA = { "META-INF/spring-configuration-metadata.json",
			"META-INF/additional-spring-configuration-metadata.json" };

	/** The check's own category, where this was always logged. */
	private static final Log logger = LogFactory.getLog(C2MPropertiesCheck.class);

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("c2m");

	/** Every property, by its canonical name. */
	private final Map<ConfigurationPropertyName, String> properties = new LinkedHashMap<>();

	/** Properties holding a map or a collection: any key below them binds. */
	private final Set<ConfigurationPropertyName> containers = new LinkedHashSet<>();

	private final Set<ConfigurationPropertyName> groups = new LinkedHashSet<>();

	/**
	 * Known names without dashes, dots or underscores: how an environment variable may
	 * spell them.
	 */
	private final Set<String> flattened = new LinkedHashSet<>();

	private C2MPropertiesMetadata() {
	}

	/**
	 * Read the metadata of every jar a class loader sees.
	 * @param classLoader the class loader
	 * @return the {@code c2m.*} keys described
	 */
	static C2MPropertiesMetadata load(ClassLoader classLoader) {
		C2MPropertiesMetadata known = new C2MPropertiesMetadata();
		for (String location : METADATA) {
			try {
				Enumeration<URL> urls = classLoader.getResources(location);
				while (urls.hasMoreElements()) {
					known.read(urls.nextElement());
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not read configuration metadata " + location, ex);
			}
		}
		return known;
	}

	private void read(URL url) throws IOException {
		String json;
		try (InputStream in = url.openStream()) {
			json = StreamUtils.copyToString(in, StandardCharsets.UTF_8);
		}
		if (!json.contains("\"c2m.")) {
			return;
		}
		Map<String, Object> metadata = JsonParserFactory.getJsonParser().parseMap(json);
		for (Map<?, ?> group : items(metadata.get("groups"))) {
			if (group.get("name") instanceof String name && isC2M(name)) {
				this.groups.add(ConfigurationPropertyName.of(name));
			}
		}
		for (Map<?, ?> property : items(metadata.get("properties"))) {
			if (property.get("name") instanceof String name && isC2M(name) && ConfigurationPropertyName.isValid(name)) {
				ConfigurationPropertyName key = ConfigurationPropertyName.of(name);
				this.properties.putIfAbsent(key, name);
				this.flattened.add(flatten(name));
				String type = (property.get("type") instanceof String t) ? t : "";
				if (type.startsWith("java.util.Map") || type.startsWith("java.util.List")
						|| type.startsWith("java.util.Set") || type.startsWith("java.util.Collection")
						|| type.endsWith("[]")) {
					this.containers.add(key);
				}
			}
		}
	}

	private static boolean isC2M(String name) {
		return name.equals("c2m") || name.startsWith("c2m.");
	}

	private static List<Map<?, ?>> items(@Nullable Object list) {
		List<Map<?, ?>> items = new ArrayList<>();
		if (list instanceof List<?> values) {
			for (Object value : values) {
				if (value instanceof Map<?, ?> map) {
					items.add(map);
				}
			}
		}
		return items;
	}

	boolean describes(ConfigurationPropertyName prefix) {
		return this.groups.contains(prefix) || this.properties.keySet().stream().anyMatch(prefix::isAncestorOf);
	}

	boolean describesPropertiesUnder(ConfigurationPropertyName prefix) {
		return this.properties.keySet().stream().anyMatch(prefix::isAncestorOf);
	}

	boolean accepts(ConfigurationPropertyName name, boolean variable) {
		if (this.properties.containsKey(name)
				|| this.containers.stream().anyMatch((container) -> container.isAncestorOf(name))) {
			return true;
		}
		if (!variable) {
			return false;
		}
		// a variable read with its underscores as dashes (Spring Boot binds that form
		// too), or
		// one outside every group below c2m (most likely a placeholder's, such as
		// C2M_STORE_KEY)
		return this.flattened.contains(flatten(name.toString()))
				|| this.groups.stream().noneMatch((group) -> !group.equals(PREFIX) && group.isAncestorOf(name));
	}

	@Nullable String closest(ConfigurationPropertyName name) {
		String wanted = flatten(name.toString());
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : this.properties.values()) {
			int distance = distance(wanted, flatten(candidate));
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		// a suggestion that is no nearer than a rewrite helps no one
		return (best != null && bestDistance <= Math.max(3, wanted.length() / 3)) ? best : null;
	}

	private static String flatten(String name) {
		StringBuilder flat = new StringBuilder(name.length());
		for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
			if (Character.isLetterOrDigit(c)) {
				flat.append(c);
			}
		}
		return flat.toString();
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
