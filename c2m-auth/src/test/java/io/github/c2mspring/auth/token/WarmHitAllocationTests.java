package io.github.c2mspring.auth.token;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.ToIntFunction;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.emulator.C2MEmulator;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A warm cache hit (a token held, not yet at its refresh point) allocates nothing: the
 * deadlines were computed when the token landed, the clock is read as a {@code long} and
 * the default scope set is a field. Allocation counts, unlike timings, are deterministic.
 */
class WarmHitAllocationTests {

	private static final int CALLS = 100_000;

	private C2MEmulator emulator;

	private C2MAuthClient client;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.builder().shortTermTtl(Duration.ofMinutes(15)).start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
		this.client = new C2MAuthClient(WebClient.builder().baseUrl(this.emulator.baseUrl()).build(),
				ObservationRegistry.NOOP, Duration.ofSeconds(10));
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	private C2MTokenManager manager(List<String> defaultScopes) {
		return C2MTokenManager
			.builder(this.client, new CredentialLongTermTokenSource(this.client, "client-1",
					new C2MCredential.ClientSecret("secret-1"), List.of(), Duration.ofDays(30), new MonotonicClock()))
			.defaultScopes(defaultScopes)
			.build();
	}

	@Test
	void getAccessTokenOnAWarmHitAllocatesNothing() {
		C2MAuthOperations operations = new DefaultC2MAuthOperations(this.client, manager(List.of("jobs:submit")));
		assertThat(bytesPerCall(operations, (ops) -> ops.getAccessToken().length())).isLessThan(1.0);
	}

	@Test
	void warmHitOfTheLongTermTokensOwnScopesAllocatesNothing() {
		C2MTokenManager manager = manager(List.of());
		assertThat(bytesPerCall(manager, (tokens) -> tokens.getShortTermTokenBlocking().tokenValue().length()))
			.isLessThan(1.0);
		assertThat(manager.diagnostics().statistics().cacheMisses()).isEqualTo(1);
	}

	private static <T> double bytesPerCall(T target, ToIntFunction<T> call) {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
				"per-thread allocation counting");
		int sink = 0;
		// the first call obtains the token; the rest warm the path up
		for (int i = 0; i < CALLS; i++) {
			sink += call.applyAsInt(target);
		}
		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < CALLS; i++) {
			sink += call.applyAsInt(target);
		}
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(sink).isPositive();
		return (double) allocated / CALLS;
	}

}
