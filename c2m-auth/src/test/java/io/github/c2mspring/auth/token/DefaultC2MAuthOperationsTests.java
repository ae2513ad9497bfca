package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.util.List;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.LongTermTokenInfo;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.ManualClock;
import io.github.c2mspring.emulator.TokenKind;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DefaultC2MAuthOperations} against the emulator: revoking a token the manager
 * holds.
 */
class DefaultC2MAuthOperationsTests {

	private final ManualClock clock = ManualClock.startingNow();

	private C2MEmulator emulator;

	private DefaultC2MAuthOperations operations;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().clock(this.clock).start();
		this.emulator.clients()
			.register("client-1")
			.secret("secret-1")
			.allowedScopes("jobs:submit", "templates:read", "tokens:revoke");
		C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl(this.emulator.baseUrl()).build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(10));
		C2MTokenManager manager = C2MTokenManager
			.builder(client,
					new CredentialLongTermTokenSource(client, "client-1", new C2MCredential.ClientSecret("secret-1"),
							List.of(), Duration.ofDays(30), this.clock))
			.clock(this.clock)
			.policy(TokenPolicy.defaults().withSafetyMargin(Duration.ofSeconds(60)))
			.build();
		this.operations = new DefaultC2MAuthOperations(client, manager);
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@Test
	void revokingANarrowedTokenByIdMakesTheNextCallExchangeAnew() {
		ShortTermToken narrowed = this.operations.getShortTermToken(List.of("templates:read"));
		this.operations.revokeToken(narrowed.tokenId());
		assertThat(this.emulator.isRevoked(narrowed.tokenId())).isTrue();
		ShortTermToken next = this.operations.getShortTermToken(List.of("templates:read"));
		assertThat(next.tokenId()).isNotEqualTo(narrowed.tokenId());
		assertThat(this.emulator.isRevoked(next.tokenId())).isFalse();
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
	}

	@Test
	void revokingTheDefaultTokenMakesTheNextAccessTokenANewOne() {
		String first = this.operations.getAccessToken();
		ShortTermToken held = this.operations.getShortTermToken();
		assertThat(held.tokenValue()).isEqualTo(first);
		this.operations.revokeToken(held.tokenId(), this.operations.revealLongTermTokenValue());
		String next = this.operations.getAccessToken();
		assertThat(next).isNotEqualTo(first);
		assertThat(this.emulator.isRevoked(this.operations.getShortTermToken().tokenId())).isFalse();
	}

	@Test
	void revokingTheLongTermTokenByIdObtainsANewOne() {
		this.operations.getShortTermToken(List.of("templates:read"));
		LongTermTokenInfo first = this.operations.getLongTermTokenInfo();
		this.operations.revokeToken(first.tokenId());
		assertThat(this.emulator.isRevoked(first.tokenId())).isTrue();
		LongTermTokenInfo next = this.operations.getLongTermTokenInfo();
		assertThat(next.tokenId()).isNotEqualTo(first.tokenId());
		assertThat(this.emulator.isRevoked(next.tokenId())).isFalse();
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(2);
		// a scope set not held yet is exchanged with the new long-term token, with no
		// refusal first
		ShortTermToken jobs = this.operations.getShortTermToken(List.of("jobs:submit"));
		assertThat(jobs).isNotNull();
		assertThat(this.emulator.requestCount(Endpoint.SHORT_TERM_TOKEN)).isEqualTo(2);
	}

}
