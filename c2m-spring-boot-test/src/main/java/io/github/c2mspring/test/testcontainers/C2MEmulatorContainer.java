package io.github.c2mspring.test.testcontainers;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nimbusds.jose.JWSObject;
import io.github.c2mspring.emulator.C2MEmulator;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.ObjectMapper;

/**
 * The C2M emulator in a container, built locally from this project's Dockerfile and the
 * emulator's jars (nothing is pulled but the base image, which need not be pulled either
 * when a local image carries its name). With Spring Boot's {@code @ServiceConnection}, a
 * test needs no more than:
 *
 * <pre class="code">
 * &#64;Container
 * &#64;ServiceConnection
 * static C2MEmulatorContainer c2m = new C2MEmulatorContainer();
 * </pre>
 *
 * The base image is {@value #DEFAULT_BASE_IMAGE} unless the constructor, the system
 * property {@value #BASE_IMAGE_PROPERTY} or the environment variable
 * {@value #BASE_IMAGE_ENVIRONMENT} names another one with {@code java} (17 or later) on
 * its path.
 */
public class C2MEmulatorContainer extends GenericContainer<C2MEmulatorContainer> {

	/** The port the emulator listens on inside the container. */
	public static final int PORT = 8089;

	/** The base image used when none is configured. */
	public static final String DEFAULT_BASE_IMAGE = "eclipse-temurin:17-jre";

	/** The system property naming the base image. */
	public static final String BASE_IMAGE_PROPERTY = "c2m.emulator.base-image";

	/** The environment variable naming the base image. */
	public static final String BASE_IMAGE_ENVIRONMENT = "C2M_EMULATOR_BASE_IMAGE";

	private static final String IMAGE_NAME = "c2m-emulator-testcontainers";

	private String clientId = "demo-client";

	private String clientSecret = "demo-secret";

	/**
	 * A container on the configured (or default) base image.
	 */
	public C2MEmulatorContainer() {
		this(configuredBaseImage());
	}

	/**
	 * A container on the given base image.
	 * @param baseImage an image with {@code java} 17 or later on its path
	 */
	public C2MEmulatorContainer(String baseImage) {
		super(image(baseImage));
		withExposedPorts(PORT);
		withEnv("C2M_EMULATOR_CLIENT_ID", this.clientId);
		withEnv("C2M_EMULATOR_CLIENT_SECRET", this.clientSecret);
		waitingFor(Wait.forLogMessage(".*C2M emulator listening.*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
	}

	/**
	 * Register another client on the emulator.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @return this container
	 */
	public C2MEmulatorContainer withClient(String clientId, String clientSecret) {
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		withEnv("C2M_EMULATOR_CLIENT_ID", clientId);
		withEnv("C2M_EMULATOR_CLIENT_SECRET", clientSecret);
		return self();
	}

	/**
	 * Set the lifetime of the short-term tokens the emulator issues.
	 * @param ttl the lifetime (whole seconds)
	 * @return this container
	 */
	public C2MEmulatorContainer withShortTermTtl(Duration ttl) {
		withEnv("C2M_EMULATOR_SHORT_TTL_SECONDS", Long.toString(ttl.toSeconds()));
		return self();
	}

	/**
	 * The API's base URL as seen from the host.
	 * @return the base URL, such as {@code http://localhost:32768/v2}
	 */
	public String getBaseUrl() {
		return "http://" + getHost() + ":" + getMappedPort(PORT) + "/v2";
	}

	/**
	 * The client id registered on the emulator.
	 * @return the client id
	 */
	public String getClientId() {
		return this.clientId;
	}

	/**
	 * The client secret registered on the emulator.
	 * @return the client secret
	 */
	public String getClientSecret() {
		return this.clientSecret;
	}

	static String configuredBaseImage() {
		String configured = System.getProperty(BASE_IMAGE_PROPERTY, System.getenv(BASE_IMAGE_ENVIRONMENT));
		return (configured != null && !configured.isBlank()) ? configured : DEFAULT_BASE_IMAGE;
	}

	private static ImageFromDockerfile image(String baseImage) {
		ImageFromDockerfile image = new ImageFromDockerfile(IMAGE_NAME + ":" + version(), false)
			.withFileFromClasspath("Dockerfile", "io/github/c2mspring/test/testcontainers/Dockerfile")
			.withBuildArg("BASE_IMAGE", baseImage);
		boolean classes = false;
		for (Path location : emulatorClasspath()) {
			if (Files.isDirectory(location)) {
				image.withFileFromPath("classes", location);
				classes = true;
			}
			else {
				image.withFileFromPath("lib/" + location.getFileName(), location);
			}
		}
		if (!classes) {
			image.withFileFromString("classes/.keep", "");
		}
		return image;
	}

	private static Set<Path> emulatorClasspath() {
		Set<Path> locations = new LinkedHashSet<>();
		for (Class<?> type : new Class<?>[] { C2MEmulator.class, ObjectMapper.class, JsonParser.class,
				JsonProperty.class, JWSObject.class }) {
			locations.add(location(type));
		}
		return locations;
	}

	private static Path location(Class<?> type) {
		CodeSource source = type.getProtectionDomain().getCodeSource();
		if (source == null) {
			throw new IllegalStateException("cannot find where " + type.getName() + " is loaded from");
		}
		try {
			return Path.of(source.getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String version() {
		String version = C2MEmulatorContainer.class.getPackage().getImplementationVersion();
		return (version != null) ? version.toLowerCase(java.util.Locale.ROOT) : "dev";
	}

}
