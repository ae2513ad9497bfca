package io.github.c2mspring.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A letter-sending service that uses the C2M starter as any application would: settings
 * in {@code application.yml}, the {@code c2mWebClient} injected.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
