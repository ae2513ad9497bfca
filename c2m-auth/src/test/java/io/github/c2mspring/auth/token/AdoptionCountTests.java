package io.github.c2mspring.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.ShortTermToken;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.ManualClock;
import io.github.c2mspring.emulator.TokenKind;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code adoptions} counts the stored tokens taken over that worked: a stored token the
 * server refuses at its first exchange (one a previous server issued, say) is replaced
 * and not counted.
 */
class AdoptionCountTests {

	private static final String CLIENT_ID = "client-1";

	private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));

	private final C2MEmulator emulator = C2MEmulator.builder().clock(this.clock).start();

	private final LongTermTokenStore store = new InMemoryLongTermTokenStore();

	AdoptionCountTests() {
		this.emulator.clients().register(CLIENT_ID).secret("secret-1").allowedScopes("jobs:submit");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	private C2MTokenManager manager() {
		C2MAuthClient client = new C2MAuthClient(WebClient.builder().baseUrl(this.emulator.baseUrl()).build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(30));
		CredentialLongTermTokenSource source = new CredentialLongTermTokenSource(client, CLIENT_ID,
				new C2MCredential.ClientSecret("secret-1"), List.of(), Duration.ofDays(30), this.clock);
		return C2MTokenManager.builder(client, source)
			.clock(this.clock)
			.longTermTokenStore(this.store, CLIENT_ID, Duration.ofSeconds(60), Duration.ofMinutes(1))
			.build();
	}

	@Test
	void storedTokenRefusedAtItsFirstExchangeIsNotAnAdoption() {
		Instant now = this.clock.instant();
		LongTermToken stale = new LongTermToken("lt-of-a-server-that-is-gone", "lt_gone", Set.of("jobs:submit"), now,
				now.plus(Duration.ofDays(30)));
		assertThat(this.store.compareAndSet(CLIENT_ID, stale, null, 0)).isTrue();
		C2MTokenManager manager = manager();
		ShortTermToken token = manager.getShortTermToken().block();
		assertThat(token).isNotNull();
		assertThat(manager.diagnostics().currentLongTermToken()).get()
			.extracting(LongTermToken::tokenId)
			.isNotEqualTo("lt_gone");
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
		assertThat(manager.diagnostics().statistics().issuances()).isEqualTo(1);
		assertThat(manager.diagnostics().statistics().adoptions()).isZero();
	}

	@Test
	void storedTokenIsCountedOnceWhenItFirstYieldsAShortTermToken() {
		C2MTokenManager first = manager();
		first.getShortTermToken().block();
		assertThat(first.diagnostics().statistics().adoptions()).isZero();
		C2MTokenManager restarted = manager();
		LongTermToken adopted = restarted.getLongTermToken().block();
		assertThat(adopted.tokenValue()).isEqualTo(first.diagnostics().currentLongTermToken().get().tokenValue());
		assertThat(restarted.diagnostics().statistics().adoptions()).as("not used yet").isZero();
		restarted.getShortTermToken().block();
		restarted.getShortTermToken(Set.of("jobs:submit")).block();
		assertThat(restarted.diagnostics().statistics().adoptions()).isOne();
		assertThat(restarted.diagnostics().statistics().issuances()).isZero();
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
	}

}
