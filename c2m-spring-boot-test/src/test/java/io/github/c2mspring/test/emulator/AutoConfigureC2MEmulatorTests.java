package io.github.c2mspring.test.emulator;

import java.time.Duration;
import java.util.Map;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.TokenKind;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @AutoConfigureC2MEmulator} in an application test: the whole token flow against
 * the embedded emulator, with the test reading and steering it. The application's own
 * properties name a real base URL and no credential: the emulator replaces both.
 */
@SpringBootTest(properties = { "c2m.base-url=https://api.click2mail.com/v2", "c2m.client-id=production-id" })
@AutoConfigureC2MEmulator(shortTermTtl = "5m")
class AutoConfigureC2MEmulatorTests {

	@Autowired
	C2MEmulator emulator;

	@Autowired
	@Qualifier("c2mWebClient")
	WebClient c2m;

	@Autowired
	C2MAuthOperations operations;

	@Test
	void wholeFlowRunsAgainstTheEmulator() {
		Map<?, ?> job = this.c2m.post()
			.uri("/jobs/single-doc")
			.bodyValue(Map.of("document_ref", "doc-1"))
			.retrieve()
			.bodyToMono(Map.class)
			.block();
		assertThat(job.get("job_id")).isEqualTo(this.emulator.submittedJobs().get(0).jobId());
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isGreaterThanOrEqualTo(1);
		ShortTermToken token = this.operations.getShortTermToken();
		assertThat(Duration.between(token.issuedAt(), token.expiresAt())).isEqualTo(Duration.ofMinutes(5));
		assertThat(this.operations.getLongTermTokenInfo().tokenId())
			.isEqualTo(this.emulator.issuedTokens().get(0).id());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
