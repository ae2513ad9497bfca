package io.github.c2mspring.sample;

import java.util.Map;

import io.github.c2mspring.autoconfigure.C2MConnectionDetails;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.test.testcontainers.C2MEmulatorContainer;
import io.github.c2mspring.test.testcontainers.EnabledIfDockerAvailable;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code POST /letters} flow against the emulator in a container, through
 * {@code @ServiceConnection}.
 */
@EnabledIfDockerAvailable
@Testcontainers
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "c2m.emulator.enabled=false",
		"spring.datasource.url=jdbc:h2:mem:sample-container;DB_CLOSE_DELAY=-1" })
class LettersContainerTests {

	@Container
	@ServiceConnection
	static C2MEmulatorContainer c2m = new C2MEmulatorContainer();

	@LocalServerPort
	int port;

	@Autowired
	C2MConnectionDetails connectionDetails;

	@Autowired
	ObjectProvider<C2MEmulator> embedded;

	@Test
	void postLettersSubmitsThroughTheContainer() {
		assertThat(this.embedded.getIfAvailable()).as("no embedded emulator").isNull();
		assertThat(this.connectionDetails.getBaseUrl()).isEqualTo(c2m.getBaseUrl());
		JsonNode response = RestClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/letters")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("documentRef", "doc-7", "recipient",
					Map.of("name", "Grace Hopper", "address", "1 Navy Way", "city", "Arlington", "state", "VA", "zip",
							"22202")))
			.retrieve()
			.body(JsonNode.class);
		assertThat(response.get("jobId").asString()).startsWith("job_");
		JsonNode health = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/health")
			.retrieve()
			.body(JsonNode.class);
		assertThat(health.at("/components/c2m/status").asString()).isEqualTo("UP");
		assertThat(health.at("/components/c2m/details/longTermTokenId").asString()).startsWith("tok_lt_");
	}

}
