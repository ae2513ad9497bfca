package io.github.c2mspring.autoconfigure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.github.c2mspring.auth.assertion.AssertionAlgorithm;
import io.github.c2mspring.emulator.Clients;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The value hints of the configuration metadata (from
 * {@code additional-spring-configuration-metadata.json}, merged by the processor) offer
 * every value the code knows: the scopes of the contract, the assertion algorithms and
 * the store types, so that an IDE completes them and a new constant without its hint
 * fails here.
 */
class ConfigurationMetadataHintsTests {

	@Test
	void hintsOfferEveryKnownValue() throws IOException {
		JsonNode metadata = MainConfigurationMetadata.read();
		assertThat(hint(metadata, "c2m.auth.short-term.scopes")).containsAll(Clients.DEFAULT_ALLOWED_SCOPES)
			.contains("jobs:*");
		assertThat(hint(metadata, "c2m.auth.long-term.scopes"))
			.containsExactlyElementsOf(hint(metadata, "c2m.auth.short-term.scopes"));
		assertThat(hint(metadata, "c2m.auth.assertion.algorithm"))
			.containsExactlyInAnyOrderElementsOf(Arrays.stream(AssertionAlgorithm.values()).map(Enum::name).toList());
		assertThat(hint(metadata, "c2m.auth.store.type"))
			.containsExactlyInAnyOrderElementsOf(Arrays.stream(C2MProperties.Store.Type.values())
				.map((type) -> type.name().toLowerCase(Locale.ROOT))
				.toList());
		assertThat(metadata.get("properties").valueStream().map((property) -> property.get("name").asString()))
			.contains("management.health.c2m.enabled");
	}

	private static List<String> hint(JsonNode metadata, String name) {
		List<String> values = new ArrayList<>();
		for (JsonNode hint : metadata.get("hints")) {
			if (hint.get("name").asString().equals(name)) {
				hint.get("values").forEach((value) -> values.add(value.get("value").asString()));
			}
		}
		assertThat(values).as("hints of %s", name).isNotEmpty();
		return values;
	}

}
