package io.github.c2mspring.auth.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.store.jdbc.C2MStoreSchema;
import io.github.c2mspring.auth.store.jdbc.JdbcLongTermTokenStore;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.autoconfigure.C2MAutoConfiguration;
import io.github.c2mspring.emulator.C2MEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A PostgreSQL that stops answering (a loopback proxy in front of it stops forwarding,
 * keeping the connections open): a cold caller and a background check each fail within
 * {@code c2m.auth.store.timeout}, naming it, instead of hanging; the thread a statement
 * held is given back; and once the database answers again, the next call and the next
 * check start afresh and succeed.
 */
@EnabledIfDatabaseUrl(value = "C2M_TEST_POSTGRES_URL", require = "C2M_REQUIRE_POSTGRES")
class StalledDatabaseTests {

	private static final String TABLE = "c2m_stall_token";

	private static final Pattern HOST_AND_PORT = Pattern.compile("^(jdbc:postgresql://)([^/:]+)(?::(\\d+))?(/.*)$");

	private final String url = System.getenv("C2M_TEST_POSTGRES_URL");

	private StallingProxy proxy;

	private String proxiedUrl;

	private JdbcTemplate direct;

	private C2MEmulator emulator;

	@BeforeEach
	void start() throws Exception {
		Matcher matcher = HOST_AND_PORT.matcher(this.url);
		assertThat(matcher.matches()).as("a jdbc:postgresql://host[:port]/... URL").isTrue();
		int port = (matcher.group(3) != null) ? Integer.parseInt(matcher.group(3)) : 5432;
		this.proxy = new StallingProxy(matcher.group(2), port);
		this.proxiedUrl = matcher.group(1) + "127.0.0.1:" + this.proxy.port() + matcher.group(4);
		this.direct = new JdbcTemplate(new DriverManagerDataSource(this.url));
		this.direct.execute("DROP TABLE IF EXISTS " + TABLE);
		this.direct.execute(C2MStoreSchema.script(TABLE));
		this.emulator = C2MEmulator.start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
	}

	@AfterEach
	void stop() throws Exception {
		this.emulator.close();
		this.proxy.close();
		this.direct.execute("DROP TABLE IF EXISTS " + TABLE);
	}

	@Test
	void aStatementOnAConnectionThatStalledGivesItsThreadBack() throws Exception {
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource(this.proxiedUrl, true);
		try {
			JdbcLongTermTokenStore store = new JdbcLongTermTokenStore(dataSource, TABLE, Duration.ofSeconds(1));
			assertThat(store.load("client-1")).isEmpty();
			this.proxy.stall();
			// neither the statement nor its cancellation reaches the database any more
			Throwable failure = catchThrowable(() -> within(() -> store.load("client-1")));
			assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DataAccessException.class);
			assertThat(this.proxy.awaitStalledConnectionClosedByClient(30)).isTrue();
		}
		finally {
			dataSource.destroy();
		}
	}

	@Test
	void aColdCallerFailsWithTheStoreTimeoutAndTheNextCallStartsAfresh() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			C2MAuthOperations operations = context.getBean(C2MAuthOperations.class);
			// a connection of the pool just used, which the pool hands out again without
			// checking it
			new JdbcTemplate(context.getBean(DataSource.class)).queryForObject("SELECT 1", Integer.class);
			this.proxy.stall();
			Throwable failure = catchThrowable(() -> within(operations::getShortTermToken));
			assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(C2MAuthException.class);
			assertThat(failure.getCause()).hasMessageContaining("did not answer within PT2S (the store timeout)");
			assertThat(((C2MAuthException) failure.getCause()).getSettings()).containsExactly(C2MSetting.STORE_TIMEOUT);
			this.proxy.resume();
			assertThat(eventually(() -> operations.getShortTermToken().tokenValue())).isNotEmpty();
			assertThat(this.direct.queryForObject("SELECT COUNT(*) FROM " + TABLE + " WHERE token_value IS NOT NULL",
					Integer.class))
				.isOne();
		});
	}

	@Test
	void aCheckFailsWithTheStoreTimeoutAndTheNextCheckStartsAfresh() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			C2MTokenManager manager = context.getBean(C2MTokenManager.class);
			context.getBean(C2MAuthOperations.class).getShortTermToken();
			this.proxy.stall();
			within(() -> manager.checkLongTermToken().block(Duration.ofSeconds(60)));
			assertThat(manager.diagnostics().lastFailure()).hasValueSatisfying((last) -> assertThat(last.exception())
				.hasMessageContaining("did not answer within PT2S (the store timeout)"));
			this.proxy.resume();
			// the row is gone: a check that runs stores the token in use again
			this.direct.update("DELETE FROM " + TABLE);
			eventually(() -> {
				manager.checkLongTermToken().block(Duration.ofSeconds(60));
				assertThat(this.direct.queryForObject("SELECT COUNT(*) FROM " + TABLE, Integer.class)).isOne();
				return true;
			});
		});
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class,
					DataSourceAutoConfiguration.class, C2MAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + this.proxiedUrl,
					// a small pool whose own waits outlast the store timeout
					"spring.datasource.hikari.maximum-pool-size=2", "spring.datasource.hikari.validation-timeout=250",
					"spring.datasource.hikari.connection-timeout=10000", "c2m.base-url=" + this.emulator.baseUrl(),
					"c2m.client-id=client-1", "c2m.auth.client-secret=secret-1", "c2m.auth.store.type=jdbc",
					"c2m.auth.store.table-name=" + TABLE, "c2m.auth.store.allow-plaintext=true",
					"c2m.auth.store.timeout=2s", "c2m.auth.retry.initial-backoff=10ms",
					"c2m.auth.retry.max-backoff=20ms");
	}

	/**
	 * Run on another thread and wait, bounded, so that a hang fails the test instead of
	 * hanging it.
	 */
	private static <T> T within(Supplier<T> work) throws Exception {
		return CompletableFuture.supplyAsync(work).get(60, TimeUnit.SECONDS);
	}

	/**
	 * Retry until the work succeeds (the pool replaces the dead connections, the retry
	 * delay passes), for at most 60 seconds.
	 */
	private static <T> T eventually(Supplier<T> work) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (true) {
			try {
				return work.get();
			}
			catch (RuntimeException | AssertionError ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
			}
		}
	}

}
