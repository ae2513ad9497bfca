package io.github.c2mspring.test.testcontainers;

import java.util.Map;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.LongTermTokenInfo;
import io.github.c2mspring.autoconfigure.C2MConnectionDetails;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulator container with {@code @ServiceConnection}: an application context that
 * names no C2M setting of its own goes through the whole token flow against the
 * container.
 */
@EnabledIfDockerAvailable
@Testcontainers
@SpringBootTest(properties = "c2m.base-url=https://api.click2mail.com/v2")
class C2MEmulatorContainerTests {

	@Container
	@ServiceConnection
	static C2MEmulatorContainer c2m = new C2MEmulatorContainer().withClient("container-client", "container-secret");

	@Autowired
	C2MConnectionDetails connectionDetails;

	@Autowired
	C2MAuthOperations operations;

	@Autowired
	@Qualifier("c2mWebClient")
	WebClient client;

	@Test
	void wholeTokenFlowRunsAgainstTheContainer() {
		assertThat(this.connectionDetails.getBaseUrl()).isEqualTo(c2m.getBaseUrl()).startsWith("http://localhost:");
		assertThat(this.connectionDetails.getClientId()).isEqualTo("container-client");
		Map<?, ?> job = this.client.post()
			.uri("/jobs/single-doc")
			.bodyValue(Map.of("document_ref", "doc-1"))
			.retrieve()
			.bodyToMono(Map.class)
			.block();
		assertThat((String) job.get("job_id")).startsWith("job_");
		LongTermTokenInfo info = this.operations.getLongTermTokenInfo();
		assertThat(info.tokenId()).startsWith("tok_lt_");
		assertThat(info.source()).isEqualTo("client-secret");
		assertThat(c2m.getLogs()).contains("C2M emulator listening").doesNotContain("container-secret");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
