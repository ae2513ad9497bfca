package io.github.c2mspring.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's property table and the configuration metadata the processor generates from
 * {@link C2MProperties} say the same: every documented property exists, with the
 * documented default when the table gives one as a literal, and every property is
 * documented. A property added on one side only fails here.
 */
class ReadmePropertiesTests {

	/** Documented in this README, described by the metadata of another module. */
	private static final List<String> OTHER_MODULES = List.of("c2m.emulator.");

	private static final Pattern ROW = Pattern.compile("^\\| ((?:`[^`]+`(?: / )?)+) \\| ([^|]*) \\|");

	private static final Pattern NAME = Pattern.compile("`([^`]+)`");

	@Test
	void theReadmeTableAndTheMetadataDescribeTheSameProperties() throws IOException {
		Map<String, String> documented = documented();
		Map<String, JsonNode> metadata = metadata();
		assertThat(documented.keySet()).filteredOn((name) -> OTHER_MODULES.stream().noneMatch(name::startsWith))
			.as("documented in README.md but unknown to the configuration metadata")
			.allSatisfy((name) -> assertThat(metadata).containsKey(name));
		assertThat(metadata.keySet()).as("in the configuration metadata but not documented in README.md")
			.allSatisfy((name) -> assertThat(documented).containsKey(name));
		documented.forEach((name, value) -> {
			Matcher literal = Pattern.compile("`([^`]*)`").matcher(value);
			JsonNode property = metadata.get(name);
			if (property != null && literal.matches() && property.has("defaultValue")) {
				assertThat(literal.group(1)).as("README default of %s", name)
					.isEqualToIgnoringCase(property.get("defaultValue").asString());
			}
		});
	}

	/**
	 * The rows of the README's "Properties" section: a row may name several properties
	 * ({@code `c2m.http.proxy.host` / `port`}) or a map entry
	 * ({@code `...previous-encryption-keys.<id>`}).
	 */
	private static Map<String, String> documented() throws IOException {
		List<String> lines = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
		int start = lines.indexOf("## Properties");
		assertThat(start).as("README.md has a Properties section").isNotNegative();
		Map<String, String> documented = new LinkedHashMap<>();
		for (String line : lines.subList(start + 1, lines.size())) {
			if (line.startsWith("## ")) {
				break;
			}
			Matcher row = ROW.matcher(line);
			if (!row.find()) {
				continue;
			}
			List<String> names = new ArrayList<>();
			Matcher name = NAME.matcher(row.group(1));
			while (name.find()) {
				String text = name.group(1).replaceAll("\\.<[^>]+>$", "");
				if (!names.isEmpty() && !text.contains(".")) {
					String first = names.get(0);
					text = first.substring(0, first.lastIndexOf('.') + 1) + text;
				}
				names.add(text);
			}
			names.stream().filter((n) -> n.startsWith("c2m.")).forEach((n) -> documented.put(n, row.group(2).trim()));
		}
		return documented;
	}

	private static Map<String, JsonNode> metadata() throws IOException {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		for (JsonNode property : MainConfigurationMetadata.read().get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("c2m.")) {
				properties.put(name, property);
			}
		}
		return properties;
	}

}
