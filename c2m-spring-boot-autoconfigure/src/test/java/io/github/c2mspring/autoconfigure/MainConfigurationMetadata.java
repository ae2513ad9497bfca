package io.github.c2mspring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata the processor generated for this module's main classes: the
 * class path holds others (every jar's, and this module's test classes', which the
 * processor also sees).
 */
final class MainConfigurationMetadata {

	private MainConfigurationMetadata() {
	}

	static JsonNode read() throws IOException {
		String location = C2MProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
		Enumeration<URL> urls = C2MProperties.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json");
		while (urls.hasMoreElements()) {
			URL url = urls.nextElement();
			if (url.toString().contains(location.replaceFirst("^jar:", "").replaceFirst("!/$", ""))) {
				try (InputStream in = url.openStream()) {
					return JsonMapper.builder().build().readTree(in);
				}
			}
		}
		throw new IllegalStateException("no configuration metadata beside " + location);
	}

}
