package io.github.c2mspring.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.client.C2MAuthClient;
import org.junit.jupiter.api.Test;

import org.springframework.asm.ClassReader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No message of the core library names a configuration key of an adapter ({@code c2m.*}
 * properties of the Spring Boot auto-configuration): the core names its settings in its
 * own terms ({@code C2MSetting}) and the adapters translate. Every string constant of
 * every compiled main class is read, concatenation recipes included, so a message built
 * from pieces is seen as well.
 */
class CoreMessagesTests {

	/**
	 * {@code c2m.} followed by what looks like a property path (not {@code c2mspring}).
	 */
	private static final Pattern PROPERTY = Pattern.compile("(?<![A-Za-z0-9_])c2m(\\.[a-z][a-z0-9-]*)+");

	/** Names that are not properties: the observation and its meters. */
	private static final Set<String> NOT_PROPERTIES = Set.of(C2MAuthClient.OBSERVATION_NAME);

	private static final int CONSTANT_STRING = 8;

	@Test
	void noStringConstantOfTheCoreNamesAConfigurationProperty() {
		List<String> constants = stringConstants(classesRoot());
		assertThat(constants).as("string constants read").hasSizeGreaterThan(100);
		assertThat(constants).anyMatch((constant) -> constant.contains("the blocking timeout"));
		assertThat(constants.stream().flatMap(CoreMessagesTests::propertyNames))
			.as("c2m.* names in the core's string constants")
			.isEmpty();
	}

	@Test
	void theObservationNameIsSeenAndAllowed() {
		assertThat(stringConstants(classesRoot())).contains(C2MAuthClient.OBSERVATION_NAME);
		assertThat(propertyNames("raise c2m.auth.blocking-timeout")).containsExactly("c2m.auth.blocking-timeout");
		assertThat(propertyNames("io.github.c2mspring.auth and c2m.auth.requests")).isEmpty();
	}

	@Test
	void noJavadocOfTheCoreNamesAConfigurationProperty() throws IOException {
		Path sources = Path.of("src/main/java");
		assertThat(sources).isDirectory();
		List<String> found = new ArrayList<>();
		try (Stream<Path> files = Files.walk(sources)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				propertyNames(Files.readString(file)).forEach((name) -> found.add(file.getFileName() + ": " + name));
			}
		}
		assertThat(found).isEmpty();
	}

	private static Stream<String> propertyNames(String text) {
		Matcher matcher = PROPERTY.matcher(text);
		List<String> names = new ArrayList<>();
		while (matcher.find()) {
			if (!NOT_PROPERTIES.contains(matcher.group())) {
				names.add(matcher.group());
			}
		}
		return names.stream();
	}

	private static Path classesRoot() {
		try {
			Path root = Path.of(C2MAuthException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			assertThat(root).as("the core's compiled classes").isDirectory();
			return root;
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> stringConstants(Path root) {
		List<String> constants = new ArrayList<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".class")).toList()) {
				ClassReader reader = new ClassReader(Files.readAllBytes(file));
				char[] buffer = new char[reader.getMaxStringLength()];
				for (int i = 1; i < reader.getItemCount(); i++) {
					int offset = reader.getItem(i);
					if (offset > 0 && reader.readByte(offset - 1) == CONSTANT_STRING) {
						constants.add(reader.readUTF8(offset, buffer));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return constants;
	}

}
