package io.github.c2mspring.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * A letter-sending service that uses the C2M starter as any application would: settings
 * in {@code application.yml}, the Click2Mail API described as an HTTP interface
 * ({@link JobsClient}) in the group {@code c2m}, which the starter configures.
 */
@SpringBootApplication
@ImportHttpServices(group = "c2m", types = JobsClient.class)
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
