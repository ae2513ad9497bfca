package io.github.c2mspring.auth.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.actuate.C2MHealthIndicator;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.IssuedToken;
import io.github.c2mspring.emulator.TokenKind;
import io.github.c2mspring.testsupport.Flows;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.c2mspring.auth.store.Fleet.CLIENT_ID;
import static io.github.c2mspring.auth.store.Fleet.ROTATING;
import static io.github.c2mspring.auth.store.Fleet.awaitIdle;
import static io.github.c2mspring.auth.store.Fleet.longTermToken;
import static io.github.c2mspring.auth.store.Fleet.manager;
import static io.github.c2mspring.auth.store.Fleet.tick;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Redis does that a relational database does not, on a Redis server of the test's
 * own: it restarts empty (no persistence), a failover to a replica loses the last write,
 * and a network path to it dies. The fleet keeps serving through each, converges, and
 * never issues a second token with a credential that cannot issue twice.
 */
@EnabledIfDatabaseUrl(value = "C2M_TEST_REDIS_URL", require = "C2M_REQUIRE_REDIS")
class RedisFaultsTests {

	private RedisServerProcess server;

	private Fleet fleet;

	private StallingProxy proxy;

	@BeforeEach
	void start() throws Exception {
		this.server = new RedisServerProcess();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.fleet != null) {
			this.fleet.close();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
		this.server.close();
	}

	@Test
	void redisRestartedEmptyMidLifeLosesNothingAndAOneTimeCodeIsNeverUsedTwice() throws Exception {
		this.fleet = new Fleet(new RedisFleetStorage(this.server.url()));
		this.fleet.emulator.clients().register(CLIENT_ID).otp("otp-1");
		ConfigurableApplicationContext one = this.fleet.start(null, "c2m.auth.otp-code=otp-1");
		ConfigurableApplicationContext two = this.fleet.start(null, "c2m.auth.otp-code=otp-1");
		Flows.submitThroughBothClients(one);
		Flows.submitThroughBothClients(two);
		String tokenId = longTermToken(one).tokenId();
		assertThat(longTermToken(two).tokenId()).isEqualTo(tokenId);

		this.server.restartEmpty();
		assertThat(this.fleet.storage.entry(CLIENT_ID)).isEmpty();
		// the instances keep serving on the tokens they hold
		Flows.submitThroughBothClients(one);
		Flows.submitThroughBothClients(two);
		// the next check stores the token in use again (once the clients reconnected)
		this.fleet.clock.advance(Duration.ofMinutes(1));
		Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			tick(List.of(one, two));
			assertThat(this.fleet.storage.entry(CLIENT_ID)).containsKey("token_value");
		});
		assertThat(this.fleet.stored().token().tokenId()).isEqualTo(tokenId);
		// an instance started now adopts it: the code, used once, is not needed again
		ConfigurableApplicationContext three = this.fleet.start(null, "c2m.auth.otp-code=otp-1");
		Flows.submitThroughBothClients(three);
		assertThat(longTermToken(three).tokenId()).isEqualTo(tokenId);
		assertThat(this.fleet.emulator.issuedCount(TokenKind.LONG_TERM)).isOne();
		assertThat(this.fleet.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isOne();
	}

	@Test
	void aFailoverThatLosesTheRotationsWriteConvergesWithoutAFailedCall() {
		RedisFleetStorage storage = new RedisFleetStorage(this.server.url());
		this.fleet = new Fleet(storage);
		List<ConfigurableApplicationContext> instances = List.of(this.fleet.start(null, ROTATING),
				this.fleet.start(null, ROTATING), this.fleet.start(null, ROTATING));
		instances.forEach(Flows::submitThroughBothClients);
		String first = longTermToken(instances.get(0)).tokenId();
		byte[] beforeRotation = storage.dump(CLIENT_ID);
		// at the rotation point one instance rotates and the others adopt the new token
		this.fleet.clock.advance(Duration.ofMinutes(60));
		tick(instances);
		awaitIdle(instances);
		tick(instances);
		awaitIdle(instances);
		String rotated = this.fleet.stored().token().tokenId();
		assertThat(rotated).isNotEqualTo(first);
		assertThat(instances)
			.allSatisfy((instance) -> assertThat(longTermToken(instance).tokenId()).isEqualTo(rotated));

		// the primary fails over to a replica that missed the rotation's write
		storage.restore(CLIENT_ID, beforeRotation);
		assertThat(this.fleet.stored().token().tokenId()).isEqualTo(first);
		for (int minute = 0; minute <= 12; minute++) {
			instances.forEach(Flows::submitThroughBothClients);
			tick(instances);
			awaitIdle(instances);
			this.fleet.clock.advance(Duration.ofMinutes(1));
		}
		// the instances hold the newer token: they put it back rather than go back to the
		// older one, which they retire, and no one rotates a second time
		assertThat(this.fleet.stored().token().tokenId()).isEqualTo(rotated);
		assertThat(instances)
			.allSatisfy((instance) -> assertThat(longTermToken(instance).tokenId()).isEqualTo(rotated));
		List<IssuedToken> longTermTokens = this.fleet.emulator.issuedTokens()
			.stream()
			.filter((token) -> token.kind() == TokenKind.LONG_TERM)
			.toList();
		assertThat(longTermTokens).extracting(IssuedToken::mechanism).containsExactly("client_secret", "rotation");
		assertThat(this.fleet.emulator.isRevoked(first)).isTrue();
		assertThat(this.fleet.emulator.isRevoked(rotated)).isFalse();
		assertThat(this.fleet.emulator.requests()
			.stream()
			.filter((request) -> request.endpoint() == Endpoint.REVOKE && request.path().contains(first))).hasSize(1);
	}

	@Test
	void redisUnreachableCallsKeepWorkingTheHealthShowsTheStoreFailureAndNothingHangs() throws Exception {
		this.proxy = new StallingProxy("127.0.0.1", this.server.port());
		this.fleet = new Fleet(new RedisFleetStorage(this.server.url(), "redis://127.0.0.1:" + this.proxy.port()));
		ConfigurableApplicationContext instance = this.fleet.start(null, "c2m.auth.store.timeout=2s");
		Flows.submitThroughBothClients(instance);
		C2MTokenManager manager = manager(instance);
		this.proxy.stall();
		// the short-term token is replaced from the long-term token held: no store call
		this.fleet.clock.advance(Duration.ofMinutes(14));
		within(() -> Flows.submitThroughBothClients(instance));
		// a check gives up after the store timeout, and the health says why
		within(() -> manager.checkLongTermToken().block(Duration.ofSeconds(60)));
		assertThat(manager.diagnostics().lastFailure()).hasValueSatisfying(
				(last) -> assertThat(last.exception()).hasMessageContaining("did not answer within PT2S"));
		Health health = within(() -> instance.getBean(C2MHealthIndicator.class).health(true));
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("lastErrorCode", "store_error");
		within(() -> Flows.submitThroughBothClients(instance));
	}

	/**
	 * Run on another thread and wait, bounded, so that a hang fails the test instead of
	 * hanging it.
	 */
	private static <T> T within(java.util.function.Supplier<T> work) throws Exception {
		return CompletableFuture.supplyAsync(work).get(20, TimeUnit.SECONDS);
	}

	private static void within(Runnable work) throws Exception {
		CompletableFuture.runAsync(work).get(20, TimeUnit.SECONDS);
	}

}
