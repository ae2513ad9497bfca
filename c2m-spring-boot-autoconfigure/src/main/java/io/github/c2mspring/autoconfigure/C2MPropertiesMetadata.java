package io.github.c2mspring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
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

	private static final JsonFactory JSON = new JsonFactory();

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

	/**
	 * Read the metadata of the starter's own jar only (where the configuration processor
	 * writes every {@code c2m.*} property the starter binds, with the additional metadata
	 * merged in): the few kilobytes that describe the keys of almost every application,
	 * against the metadata of every jar on the class path.
	 * @return the {@code c2m.*} keys the starter describes, none if its metadata cannot
	 * be found
	 */
	static C2MPropertiesMetadata loadOwn() {
		C2MPropertiesMetadata known = new C2MPropertiesMetadata();
		String json = ownText();
		if (json != null) {
			known.read(json);
		}
		return known;
	}

	/**
	 * Whether the starter's own metadata names a property exactly so: the first, cheap
	 * look, which finds every key of most applications without parsing the metadata.
	 * @param ownProperties the properties section of the starter's own metadata (see
	 * {@link #ownPropertiesText()})
	 * @param name the name of a key
	 * @return whether a property of that name is described
	 */
	static boolean namesProperty(String ownProperties, ConfigurationPropertyName name) {
		return ownProperties.contains("\"name\": \"" + name + "\"");
	}

	/**
	 * The properties section of the starter's own metadata, as the configuration
	 * processor writes it.
	 * @return the section, empty if the metadata cannot be found
	 */
	static String ownPropertiesText() {
		String json = ownText();
		int start = (json != null) ? json.indexOf("\"properties\"") : -1;
		if (json == null || start < 0) {
			return "";
		}
		int end = json.indexOf("\"hints\"", start);
		return json.substring(start, (end > start) ? end : json.length());
	}

	private static @Nullable String ownText() {
		String self = C2MPropertiesMetadata.class.getName().replace('.', '/') + ".class";
		URL selfUrl = C2MPropertiesMetadata.class.getClassLoader().getResource(self);
		String location = (selfUrl != null) ? selfUrl.toString() : "";
		if (!location.endsWith(self)) {
			return null;
		}
		String root = location.substring(0, location.length() - self.length());
		try {
			return text(URI.create(root + METADATA[0]).toURL());
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not read the starter's configuration metadata under " + root, ex);
			return null;
		}
	}

	private static String text(URL url) throws IOException {
		try (InputStream in = url.openStream()) {
			return StreamUtils.copyToString(in, StandardCharsets.UTF_8);
		}
	}

	private void read(URL url) throws IOException {
		read(text(url));
	}

	private void read(String json) {
		if (!json.contains("\"c2m.")) {
			return;
		}
		// the streaming parser: binding the file to maps would initialize a whole
		// ObjectMapper at startup for the few keys read here
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return;
			}
			String section;
			while ((section = parser.nextName()) != null) {
				JsonToken value = parser.nextToken();
				if (value == JsonToken.START_ARRAY && (section.equals("groups") || section.equals("properties"))) {
					readItems(parser, section.equals("groups"));
				}
				else {
					parser.skipChildren();
				}
			}
		}
	}

	private void readItems(JsonParser parser, boolean groups) {
		JsonToken item;
		while ((item = parser.nextToken()) != null && item != JsonToken.END_ARRAY) {
			if (item != JsonToken.START_OBJECT) {
				parser.skipChildren();
				continue;
			}
			String name = null;
			String type = "";
			String field;
			while ((field = parser.nextName()) != null) {
				JsonToken value = parser.nextToken();
				if (value == JsonToken.VALUE_STRING && field.equals("name")) {
					name = parser.getString();
				}
				else if (value == JsonToken.VALUE_STRING && field.equals("type")) {
					type = parser.getString();
				}
				else {
					parser.skipChildren();
				}
			}
			if (name != null && isC2M(name)) {
				if (groups) {
					this.groups.add(ConfigurationPropertyName.of(name));
				}
				else {
					add(name, type);
				}
			}
		}
	}

	private void add(String name, String type) {
		if (!ConfigurationPropertyName.isValid(name)) {
			return;
		}
		ConfigurationPropertyName key = ConfigurationPropertyName.of(name);
		this.properties.putIfAbsent(key, name);
		this.flattened.add(flatten(name));
		if (type.startsWith("java.util.Map") || type.startsWith("java.util.List") || type.startsWith("java.util.Set")
				|| type.startsWith("java.util.Collection") || type.endsWith("[]")) {
			this.containers.add(key);
		}
	}

	private static boolean isC2M(String name) {
		return name.equals("c2m") || name.startsWith("c2m.");
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
