package io.github.c2mspring.autoconfigure;

import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import io.github.c2mspring.auth.store.jdbc.C2MStoreSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC store commits each of its writes whatever the pool's auto-commit setting and
 * whatever transaction its caller is in: with
 * {@code spring.datasource.hikari.auto-commit=false} the table is created at startup and
 * every write is seen by other connections.
 */
class C2MStoreTransactionsTests {

	private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'R');

	private static final LongTermToken TOKEN = new LongTermToken("value-a", "tok_a", Set.of("jobs:submit"),
			Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"));

	private final String h2 = "jdbc:h2:mem:store-tx-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, WebClientAutoConfiguration.class,
				C2MAutoConfiguration.class))
		.withPropertyValues("c2m.client-id=client-1", "c2m.auth.client-secret=s3cret", "c2m.auth.store.type=jdbc",
				"c2m.auth.store.initialize-schema=true", "c2m.auth.store.encryption-key=" + KEY,
				"c2m.auth.store.table-name=c2m_tx_token", "spring.datasource.hikari.auto-commit=false");

	@Test
	void withAPoolThatDoesNotAutoCommitOnH2TheTableIsCreatedAndEveryWriteCommitted() {
		this.runner.withPropertyValues("spring.datasource.url=" + this.h2)
			.run(committed(new DriverManagerDataSource(this.h2, "sa", "")));
	}

	@Test
	@EnabledIfEnvironmentVariable(named = "C2M_TEST_POSTGRES_URL", matches = ".+")
	void withAPoolThatDoesNotAutoCommitOnPostgresTheTableIsCreatedAndEveryWriteCommitted() {
		String url = System.getenv("C2M_TEST_POSTGRES_URL");
		new JdbcTemplate(new DriverManagerDataSource(url)).execute("DROP TABLE IF EXISTS c2m_tx_token");
		this.runner.withPropertyValues("spring.datasource.url=" + url).run(committed(new DriverManagerDataSource(url)));
	}

	@Test
	@EnabledIfEnvironmentVariable(named = "C2M_TEST_MARIADB_URL", matches = ".+")
	void withAPoolThatDoesNotAutoCommitOnMariaDbTheTableIsCreatedAndEveryWriteCommitted() {
		String url = System.getenv("C2M_TEST_MARIADB_URL");
		new JdbcTemplate(new DriverManagerDataSource(url)).execute("DROP TABLE IF EXISTS c2m_tx_token");
		this.runner.withPropertyValues("spring.datasource.url=" + url).run(committed(new DriverManagerDataSource(url)));
	}

	@Test
	void aWriteInsideTheCallersTransactionIsCommittedEvenWhenThatTransactionRollsBack() {
		this.runner.withPropertyValues("spring.datasource.url=" + this.h2)
			.withConfiguration(AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(PlatformTransactionManager.class);
				LongTermTokenStore store = context.getBean(LongTermTokenStore.class);
				new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
					.executeWithoutResult((status) -> {
						assertThat(store.compareAndSet("client-1", TOKEN, null, 0)).isTrue();
						status.setRollbackOnly();
					});
				assertThat(rows(new DriverManagerDataSource(this.h2, "sa", ""))).isOne();
			});
	}

	@Test
	void aTransactionManagerOfAnotherDatabaseIsNotUsed() {
		this.runner.withPropertyValues("spring.datasource.url=" + this.h2)
			.withUserConfiguration(OtherDatabaseTransactions.class)
			.run(committed(new DriverManagerDataSource(this.h2, "sa", "")));
	}

	private static ContextConsumer<AssertableApplicationContext> committed(DataSource elsewhere) {
		return (context) -> {
			assertThat(context).hasNotFailed();
			assertThat(C2MStoreSchema.missingColumns(new JdbcTemplate(elsewhere), "c2m_tx_token")).isEmpty();
			LongTermTokenStore store = context.getBean(LongTermTokenStore.class);
			assertThat(store.compareAndSet("client-1", TOKEN, null, 0)).isTrue();
			// seen by another connection: committed, not rolled back when the pool took
			// the connection back
			assertThat(rows(elsewhere)).isOne();
			assertThat(store.load("client-1")).hasValueSatisfying((stored) -> {
				assertThat(stored.token()).isEqualTo(TOKEN);
				assertThat(stored.version()).isOne();
			});
			// a second instance cannot store over the first one's token
			assertThat(store.compareAndSet("client-1", TOKEN, null, 0)).isFalse();
			Instant now = Instant.now();
			assertThat(store.tryLease("client-1", "a", now, now.plusSeconds(30))).isTrue();
			assertThat(new JdbcTemplate(elsewhere)
				.queryForObject("SELECT lease_owner FROM c2m_tx_token WHERE token_key = 'client-1'", String.class))
				.isEqualTo("a");
			assertThat(store.tryLease("client-1", "b", now, now.plusSeconds(30))).isFalse();
			store.releaseLease("client-1", "a");
			assertThat(store.tryLease("client-1", "b", now, now.plusSeconds(30))).isTrue();
		};
	}

	private static Integer rows(DataSource dataSource) {
		return new JdbcTemplate(dataSource).queryForObject(
				"SELECT COUNT(*) FROM c2m_tx_token WHERE token_key = 'client-1' AND version = 1", Integer.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class OtherDatabaseTransactions {

		@Bean
		PlatformTransactionManager transactionManager() {
			return new DataSourceTransactionManager(new DriverManagerDataSource(
					"jdbc:h2:mem:other-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", ""));
		}

	}

}
