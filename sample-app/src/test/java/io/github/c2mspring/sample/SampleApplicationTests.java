package io.github.c2mspring.sample;

import java.util.Map;

import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.TokenKind;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as README runs it: offline, on its own application.yml, against the embedded
 * emulator.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.datasource.url=jdbc:h2:mem:sample-tests;DB_CLOSE_DELAY=-1")
class SampleApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	C2MEmulator emulator;

	@Autowired
	ApplicationContext context;

	private RestClient http() {
		return RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	@Test
	void postLettersSubmitsAJobThroughTheManagedToken() {
		ResponseEntity<JsonNode> response = http().post()
			.uri("/letters")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("documentRef", "doc-42", "recipient",
					Map.of("name", "Ada Lovelace", "address", "12 St James Sq", "city", "London", "state", "LDN", "zip",
							"SW1Y")))
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(response.getStatusCode().value()).isEqualTo(201);
		String jobId = response.getBody().get("jobId").asString();
		assertThat(jobId).startsWith("job_");
		assertThat(this.emulator.submittedJobs()).anySatisfy((job) -> {
			assertThat(job.jobId()).isEqualTo(jobId);
			assertThat(job.body()).contains("doc-42").contains("Ada Lovelace");
		});
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isGreaterThanOrEqualTo(1);

		JsonNode health = http().get().uri("/actuator/health").retrieve().body(JsonNode.class);
		assertThat(health.at("/components/c2m/status").asString()).isEqualTo("UP");
		assertThat(health.at("/components/c2m/details/longTermTokenSource").asString()).isEqualTo("client-secret");
		String stored = new org.springframework.jdbc.core.JdbcTemplate(this.context.getBean(javax.sql.DataSource.class))
			.queryForObject("SELECT token_value FROM c2m_long_term_token", String.class);
		assertThat(stored).startsWith("v2:k1:");
		JsonNode exchanges = http().get().uri("/actuator/metrics/c2m.token.exchanges").retrieve().body(JsonNode.class);
		assertThat(exchanges.at("/measurements/0/value").asDouble()).isGreaterThanOrEqualTo(1.0);
		JsonNode timer = http().get().uri("/actuator/metrics/c2m.auth.requests").retrieve().body(JsonNode.class);
		assertThat(timer.at("/measurements/0/value").asDouble()).isGreaterThanOrEqualTo(2.0);
	}

	@Test
	void badLetterGetsAClearError() {
		ResponseEntity<JsonNode> response = http().post()
			.uri("/letters")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("recipient", Map.of("name", "Ada")))
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(response.getStatusCode().value()).isEqualTo(400);
		assertThat(response.getBody().get("errors").toString()).contains("documentRef is required")
			.contains("recipient.address is required");
	}

	@Test
	void theStarterAddsNoWebSecurity() {
		assertThat(this.context
			.getBeanNamesForType(org.springframework.util.ClassUtils.resolveClassName("jakarta.servlet.Filter", null)))
			.noneMatch((name) -> name.contains("springSecurityFilterChain"));
		assertThat(org.springframework.util.ClassUtils
			.isPresent("org.springframework.security.config.annotation.web.builders.HttpSecurity", null)).isFalse();
	}

}
