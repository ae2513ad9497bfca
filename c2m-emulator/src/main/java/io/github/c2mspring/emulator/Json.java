package io.github.c2mspring.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON reading and writing for the emulator.
 */
final class Json {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Json() {
	}

	static String write(Map<String, ?> value) {
		return MAPPER.writeValueAsString(value);
	}

	static @Nullable JsonNode read(String body) {
		try {
			return MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * The first field of an object that is not allowed.
	 * @param request the object
	 * @param allowed the allowed field names
	 * @return the name, or {@code null} when every field is allowed
	 */
	static @Nullable String unknownField(JsonNode request, Set<String> allowed) {
		for (String name : request.propertyNames()) {
			if (!allowed.contains(name)) {
				return name;
			}
		}
		return null;
	}

	/**
	 * A non-empty string field.
	 * @param request the object
	 * @param field the field name
	 * @return the value, or {@code null} when missing, empty or not a string
	 */
	static @Nullable String text(JsonNode request, String field) {
		JsonNode node = request.get(field);
		return (node != null && node.isString() && !node.asString().isEmpty()) ? node.asString() : null;
	}

	/**
	 * An array-of-strings field.
	 * @param request the object
	 * @param field the field name
	 * @return the values, or {@code null} when missing or not an array of strings
	 */
	static @Nullable List<String> stringList(JsonNode request, String field) {
		JsonNode node = request.get(field);
		if (node == null || !node.isArray()) {
			return null;
		}
		List<String> values = new ArrayList<>();
		for (JsonNode element : node) {
			if (!element.isString()) {
				return null;
			}
			values.add(element.asString());
		}
		return values;
	}

}
