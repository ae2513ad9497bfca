package io.github.c2mspring.test.emulator;

import java.util.Map;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.Fault;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link C2MEmulatorExtension} in an application test: the application's {@code c2m.*}
 * points at the extension's emulator; the test injects faults through it.
 */
@SpringBootTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class C2MEmulatorExtensionTests {

	@RegisterExtension
	static C2MEmulatorExtension c2m = new C2MEmulatorExtension();

	@DynamicPropertySource
	static void c2mProperties(DynamicPropertyRegistry registry) {
		c2m.registerProperties(registry);
	}

	@Autowired
	@Qualifier("c2mRestClient")
	RestClient client;

	@Autowired
	C2MAuthOperations operations;

	@Test
	@Order(1)
	void applicationCallsGoThroughTheEmulator(C2MEmulator emulator) {
		Map<?, ?> job = this.client.post().uri("/jobs/single-doc").body(Map.of("n", 1)).retrieve().body(Map.class);
		assertThat(job.get("job_id")).isNotNull();

		assertThat(emulator.submittedJobs()).hasSize(1);
		assertThat(emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
		assertThat(emulator.requests()).filteredOn((request) -> request.endpoint() == Endpoint.LONG_TERM_TOKEN)
			.singleElement()
			.satisfies((request) -> assertThat(request.header("X-Client-Id")).isEqualTo("demo-client"));
	}

	@Test
	@Order(2)
	void testsInjectFaults(C2MEmulator emulator) {
		emulator.faults().once(Endpoint.SHORT_TERM_TOKEN, Fault.rateLimited("17"));
		assertThatExceptionOfType(C2MAuthException.class)
			.isThrownBy(() -> this.operations.getShortTermToken(java.util.List.of("jobs:submit", "templates:read")))
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(429);
				assertThat(ex.getRetryAfter()).isEqualTo(java.time.Duration.ofSeconds(17));
			});
	}

	@Test
	@Order(3)
	void faultsAreClearedBetweenTests(C2MEmulator emulator) {
		assertThat(this.operations.getShortTermToken(java.util.List.of("templates:read")).scopes())
			.containsExactly("templates:read");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
