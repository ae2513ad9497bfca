package io.github.c2mspring.test.readme;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code java} block of the repository's README compiles as pasted, imports
 * included, against this module's test class path (the starter, the test support, Spring
 * Boot's test support and Testcontainers): a user who copies a snippet gets code that
 * builds.
 */
class ReadmeSnippetsTests {

	private static final Pattern JAVA_BLOCK = Pattern.compile("^```java\\R(.*?)^```",
			Pattern.MULTILINE | Pattern.DOTALL);

	private static final Pattern PUBLIC_TYPE = Pattern
		.compile("^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)", Pattern.MULTILINE);

	@Test
	void everyJavaSnippetCompilesAsPasted(@TempDir Path work) throws IOException {
		List<String> snippets = javaSnippets(Files.readString(readme(), StandardCharsets.UTF_8));
		assertThat(snippets).as("java blocks in README.md").hasSizeGreaterThanOrEqualTo(5);
		List<String> failures = new ArrayList<>();
		for (int i = 0; i < snippets.size(); i++) {
			String errors = compile(snippets.get(i), work.resolve("snippet-" + (i + 1)));
			if (!errors.isEmpty()) {
				failures.add("README java block " + (i + 1) + " (starting \"" + firstLine(snippets.get(i))
						+ "\") does not compile:\n" + errors);
			}
		}
		assertThat(failures).isEmpty();
	}

	@Test
	void aSnippetWithoutItsImportsIsCaught(@TempDir Path work) throws IOException {
		String errors = compile("class Letters {\n    JsonNode node;\n}\n", work);
		assertThat(errors).contains("JsonNode");
		assertThat(compile("import tools.jackson.databind.JsonNode;\n\nclass Letters {\n    JsonNode node;\n}\n",
				work.resolve("with-import")))
			.isEmpty();
	}

	static List<String> javaSnippets(String markdown) {
		List<String> snippets = new ArrayList<>();
		Matcher matcher = JAVA_BLOCK.matcher(markdown);
		while (matcher.find()) {
			snippets.add(matcher.group(1));
		}
		return snippets;
	}

	private static String compile(String source, Path directory) throws IOException {
		Matcher publicType = PUBLIC_TYPE.matcher(source);
		String fileName = (publicType.find() ? publicType.group(1) : "Snippet") + ".java";
		Path sources = Files.createDirectories(directory.resolve("src"));
		Path classes = Files.createDirectories(directory.resolve("classes"));
		Path file = Files.writeString(sources.resolve(fileName), source, StandardCharsets.UTF_8);
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler).as("a JDK's compiler").isNotNull();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
				StandardCharsets.UTF_8)) {
			List<String> options = List.of("-proc:none", "-encoding", "UTF-8", "-d", classes.toString(), "-classpath",
					classPath());
			Boolean ok = compiler
				.getTask(new StringWriter(), files, diagnostics, options, null, files.getJavaFileObjects(file.toFile()))
				.call();
			StringBuilder errors = new StringBuilder();
			for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
				if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
					errors.append("  line ")
						.append(diagnostic.getLineNumber())
						.append(": ")
						.append(diagnostic.getMessage(Locale.ROOT))
						.append('\n');
				}
			}
			if (!ok && errors.length() == 0) {
				errors.append("  the compiler failed without a diagnostic\n");
			}
			return errors.toString();
		}
	}

	private static String classPath() {
		// Surefire runs the tests from a manifest-only jar; it keeps the real class path
		// here
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	private static String firstLine(String snippet) {
		return snippet.lines().filter((line) -> !line.isBlank()).findFirst().orElse("").trim();
	}

	private static Path readme() {
		Path start = Path.of("").toAbsolutePath();
		for (Path directory = start; directory != null; directory = directory.getParent()) {
			if (Files.isRegularFile(directory.resolve("README.md"))
					&& Files.isDirectory(directory.resolve("c2m-spring-boot-test"))) {
				return directory.resolve("README.md");
			}
		}
		throw new IllegalStateException("README.md of the repository not found from " + start);
	}

}
