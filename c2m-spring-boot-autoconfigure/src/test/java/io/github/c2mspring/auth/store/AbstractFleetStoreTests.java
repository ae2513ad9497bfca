package io.github.c2mspring.auth.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import javax.sql.DataSource;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.TokenKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The JDBC long-term token store on a real database (H2 and PostgreSQL subclasses): a fleet of
 * application contexts sharing one database issues one long-term token, a restart reuses it, a
 * revoked one is replaced once, and the table never holds it in plain text.
 */
abstract class AbstractFleetStoreTests {

	private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'Q');

	/**
	 * The JDBC URL of the database the fleet shares.
	 * @return the URL
	 */
	abstract String url();

	/**
	 * A plain data source on that database, as Boot's own would connect.
	 * @return the data source
	 */
	DataSource directDataSource() {
		return new DriverManagerDataSource(url());
	}

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private C2MEmulator emulator;

	@BeforeEach
	void start() {
		new JdbcTemplate(directDataSource()).execute("DROP TABLE IF EXISTS c2m_long_term_token");
		this.emulator = C2MEmulator.start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit", "tokens:revoke");
	}

	@AfterEach
	void stop() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.emulator.close();
	}

	private ConfigurableApplicationContext instance() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.datasource.url=" + url(),
					"c2m.base-url=" + this.emulator.baseUrl(), "c2m.client-id=client-1",
					"c2m.auth.client-secret=secret-1", "c2m.auth.store.type=jdbc",
					"c2m.auth.store.initialize-schema=true", "c2m.auth.store.encryption-key=" + KEY)
			.run();
		this.contexts.add(context);
		return context;
	}

	@Test
	void threeInstancesStartedTogetherIssueOneTokenAndShareIt() throws Exception {
		List<ConfigurableApplicationContext> fleet = List.of(instance(), instance(), instance());
		CyclicBarrier barrier = new CyclicBarrier(fleet.size());
		List<CompletableFuture<String>> ids = new ArrayList<>();
		for (ConfigurableApplicationContext context : fleet) {
			ids.add(CompletableFuture.supplyAsync(() -> {
				try {
					barrier.await();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				context.getBean(C2MAuthOperations.class).getAccessToken();
				return context.getBean(C2MAuthOperations.class).getLongTermTokenInfo().tokenId();
			}));
		}
		Set<String> tokenIds = Set.copyOf(ids.stream().map(CompletableFuture::join).toList());
		assertThat(tokenIds).hasSize(1);
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
	}

	@Test
	void restartReusesTheStoredTokenAndTheTableHoldsNoPlaintext() {
		ConfigurableApplicationContext first = instance();
		String value = first.getBean(C2MAuthOperations.class).revealLongTermTokenValue();
		first.close();
		ConfigurableApplicationContext restarted = instance();
		assertThat(restarted.getBean(C2MAuthOperations.class).revealLongTermTokenValue()).isEqualTo(value);
		assertThat(restarted.getBean(io.github.c2mspring.auth.token.C2MTokenManager.class).statistics().issuances())
			.isZero();
		assertThat(this.emulator.requestCount(Endpoint.LONG_TERM_TOKEN)).isEqualTo(1);
		String stored = new JdbcTemplate(restarted.getBean(DataSource.class))
			.queryForObject("SELECT token_value FROM c2m_long_term_token WHERE token_key = 'client-1'", String.class);
		assertThat(stored).startsWith("v1:k1:").doesNotContain(value);
	}

	@Test
	void aRevokedStoredTokenIsReplacedOnceAndTheOthersAdoptTheReplacement() {
		ConfigurableApplicationContext one = instance();
		ConfigurableApplicationContext two = instance();
		String revoked = one.getBean(C2MAuthOperations.class).getLongTermTokenInfo().tokenId();
		two.getBean(C2MAuthOperations.class).getLongTermTokenInfo();
		this.emulator.revoke(revoked);
		one.getBean(C2MAuthOperations.class).getShortTermToken(List.of("tokens:revoke"));
		two.getBean(C2MAuthOperations.class).getShortTermToken(List.of("tokens:revoke"));
		String replacementOne = one.getBean(C2MAuthOperations.class).getLongTermTokenInfo().tokenId();
		String replacementTwo = two.getBean(C2MAuthOperations.class).getLongTermTokenInfo().tokenId();
		assertThat(replacementOne).isNotEqualTo(revoked).isEqualTo(replacementTwo);
		assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isEqualTo(2);
	}

	@Test
	void storeIsCompareAndSet() {
		DataSource dataSource = directDataSource();
		new JdbcTemplate(dataSource).execute(io.github.c2mspring.autoconfigure.C2MStoreSchema.script("c2m_long_term_token"));
		JdbcLongTermTokenStore store = new JdbcLongTermTokenStore(dataSource,
				TokenCipher.aesGcm(Map.of("k1", KEY)), "c2m_long_term_token");
		LongTermToken a = new LongTermToken("value-a", "tok_a", Set.of("jobs:submit"), Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"));
		LongTermToken b = new LongTermToken("value-b", "tok_b", Set.of(), null, null);
		assertThat(store.compareAndSet("c", a, 0)).isTrue();
		assertThat(store.compareAndSet("c", b, 0)).isFalse();
		assertThat(store.load("c")).hasValueSatisfying((stored) -> {
			assertThat(stored.version()).isEqualTo(1);
			assertThat(stored.token()).isEqualTo(a);
		});
		assertThat(store.compareAndSet("c", b, 1)).isTrue();
		assertThat(store.load("c").orElseThrow().token().tokenValue()).isEqualTo("value-b");
		Instant now = Instant.now();
		assertThat(store.tryLease("c", "x", now, now.plusSeconds(30))).isTrue();
		assertThat(store.tryLease("c", "y", now, now.plusSeconds(30))).isFalse();
		assertThat(store.tryLease("c", "y", now.plusSeconds(31), now.plusSeconds(60))).isTrue();
		store.releaseLease("c", "y");
		assertThat(store.tryLease("c", "z", now, now.plusSeconds(30))).isTrue();
	}

	@Test
	void cipherSealsRotatesKeysAndRefusesTampering() {
		String oldKey = Base64.getEncoder().encodeToString(new byte[32]);
		TokenCipher old = TokenCipher.aesGcm(Map.of("k0", oldKey));
		String sealedByOld = old.encrypt("secret-token");
		assertThat(sealedByOld).startsWith("v1:k0:").doesNotContain("secret-token");
		assertThat(old.encrypt("secret-token")).isNotEqualTo(sealedByOld);
		Map<String, String> rotated = new java.util.LinkedHashMap<>();
		rotated.put("k1", KEY);
		rotated.put("k0", oldKey);
		TokenCipher current = TokenCipher.aesGcm(rotated);
		assertThat(current.decrypt(sealedByOld)).isEqualTo("secret-token");
		assertThat(current.encrypt("x")).startsWith("v1:k1:");
		String tampered = sealedByOld.substring(0, sealedByOld.length() - 4) + "AAAA";
		assertThatIllegalStateException().isThrownBy(() -> current.decrypt(tampered)).withMessageContaining("tampered");
		assertThatIllegalStateException().isThrownBy(() -> TokenCipher.aesGcm(Map.of("k1", KEY)).decrypt(sealedByOld))
			.withMessageContaining("'k0'");
		assertThatIllegalStateException().isThrownBy(() -> current.decrypt("plain:abc")).withMessageContaining("plain text");
		assertThatIllegalArgumentException().isThrownBy(() -> TokenCipher.aesGcm(Map.of("k1", "c2hvcnQ=")))
			.withMessageContaining("32 bytes");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
