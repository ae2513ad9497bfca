package io.github.c2mspring.sample;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample at development time against the emulator in a container (instead of the
 * embedded one): {@code mvn -f sample-app/pom.xml spring-boot:test-run}.
 */
public class TestSampleApplication {

	public static void main(String[] args) {
		SpringApplication.from(SampleApplication::main)
			.with(C2MEmulatorContainerConfiguration.class)
			.run(withEmbeddedEmulatorOff(args));
	}

	private static String[] withEmbeddedEmulatorOff(String[] args) {
		String[] all = java.util.Arrays.copyOf(args, args.length + 1);
		all[args.length] = "--c2m.emulator.enabled=false";
		return all;
	}

}
