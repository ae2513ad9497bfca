package io.github.c2mspring.auth.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.testsupport.ForwardingLongTermTokenStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The sealing decorator on an in-memory store: what the store keeps is sealed and bound
 * to its entry, values of an older key or format are sealed again in place with their
 * version kept, and a retired token beside a value of the first format is not trusted.
 */
class EncryptingLongTermTokenStoreTests {

	private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'Q');

	/**
	 * "value-legacy" sealed by 0.1.0 (format v1, key k1 = KEY), as in the fleet tests.
	 */
	private static final String SEALED_BY_0_1_0 = "v1:k1:pUL0IpOcSDCoX5RfSLiB8GDLqir0NFGRmhsGuPpiQY5pP7iHQ6jAiw==";

	private static final LongTermToken TOKEN = new LongTermToken("value-a", "tok_a",
			new LinkedHashSet<>(List.of("tokens:write", "jobs:submit", "tokens:revoke")),
			Instant.parse("2026-01-01T00:00:00.123456Z"), Instant.parse("2026-03-01T00:00:00Z"));

	private static final RetiredToken RETIRED = new RetiredToken("tok_0", Instant.parse("2026-01-01T00:05:00Z"));

	private final InMemoryLongTermTokenStore delegate = new InMemoryLongTermTokenStore();

	private final TokenCipher cipher = TokenCipher.aesGcm(Map.of("k1", KEY));

	private final EncryptingLongTermTokenStore store = new EncryptingLongTermTokenStore(this.delegate, this.cipher);

	@Test
	void theDelegateKeepsTheValueSealedAndBoundToTheEntryAsTheJdbcStoreBoundItsRows() {
		assertThat(this.store.compareAndSet("row-a", TOKEN, RETIRED, 0)).isTrue();
		StoredToken kept = this.delegate.load("row-a").orElseThrow();
		String sealed = kept.token().tokenValue();
		assertThat(sealed).startsWith("v2:k1:").doesNotContain("value-a");
		assertThat(kept.token().tokenId()).isEqualTo("tok_a");
		assertThat(kept.retired()).isEqualTo(RETIRED);
		// the associated data of TokenCipher v2 as the JDBC store bound it: key, token
		// id,
		// scopes in order, times in milliseconds, retired token
		assertThat(this.cipher.decrypt(sealed, "row-a", "tok_a", "tokens:write jobs:submit tokens:revoke",
				"1767225600123", "1772323200000", "tok_0", "1767225900000"))
			.isEqualTo("value-a");
		assertThat(this.store.load("row-a")).hasValueSatisfying((stored) -> {
			assertThat(stored.token()).isEqualTo(TOKEN);
			assertThat(stored.token().tokenValue()).isEqualTo("value-a");
			assertThat(stored.retired()).isEqualTo(RETIRED);
			assertThat(stored.version()).isOne();
		});
	}

	@Test
	void aValueMovedToAnotherEntryOrBesideOtherFieldsIsRefusedNamingTheKeyNotTheValue() {
		assertThat(this.store.compareAndSet("row-a", TOKEN, RETIRED, 0)).isTrue();
		StoredToken kept = this.delegate.load("row-a").orElseThrow();
		assertThat(this.delegate.compareAndSet("row-b", kept.token(), kept.retired(), 0)).isTrue();
		assertRefused("row-b", kept.token().tokenValue());
		// the retired token pointed at the live one, to have the fleet revoke it
		assertThat(this.delegate.compareAndSet("row-a", kept.token(), new RetiredToken("tok_a", Instant.EPOCH), 1))
			.isTrue();
		assertRefused("row-a", kept.token().tokenValue());
		LongTermToken otherScopes = new LongTermToken(kept.token().tokenValue(), "tok_a",
				new LinkedHashSet<>(List.of("jobs:submit", "tokens:write", "tokens:revoke")), TOKEN.issuedAt(),
				TOKEN.expiresAt());
		assertThat(this.delegate.compareAndSet("row-a", otherScopes, RETIRED, 2)).isTrue();
		assertRefused("row-a", kept.token().tokenValue());
	}

	@Test
	void aValueOfAnOlderKeyIsSealedAgainInPlaceKeepingItsVersion() {
		assertThat(this.store.compareAndSet("row-a", TOKEN, RETIRED, 0)).isTrue();
		String sealedByK1 = this.delegate.load("row-a").orElseThrow().token().tokenValue();
		Map<String, String> keys = new LinkedHashMap<>();
		keys.put("k2",
				Base64.getEncoder()
					.encodeToString(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
							21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 }));
		keys.put("k1", KEY);
		EncryptingLongTermTokenStore rotated = new EncryptingLongTermTokenStore(this.delegate,
				TokenCipher.aesGcm(keys));
		assertThat(rotated.load("row-a")).hasValueSatisfying((stored) -> {
			assertThat(stored.token()).isEqualTo(TOKEN);
			assertThat(stored.retired()).isEqualTo(RETIRED);
			assertThat(stored.version()).isOne();
		});
		StoredToken kept = this.delegate.load("row-a").orElseThrow();
		assertThat(kept.token().tokenValue()).startsWith("v2:k2:").isNotEqualTo(sealedByK1);
		assertThat(kept.retired()).isEqualTo(RETIRED);
		assertThat(kept.version()).isOne();
	}

	@Test
	void aRetiredTokenBesideAValueOfTheFirstFormatIsNotTrustedAndClearedWhenSealedAgain() {
		LongTermToken legacy = new LongTermToken(SEALED_BY_0_1_0, "tok_l", Set.of("jobs:submit"), null, null);
		assertThat(this.delegate.compareAndSet("row-l", legacy, new RetiredToken("tok_l", Instant.EPOCH), 0)).isTrue();
		assertThat(this.store.load("row-l")).hasValueSatisfying((stored) -> {
			assertThat(stored.token().tokenValue()).isEqualTo("value-legacy");
			assertThat(stored.retired()).isNull();
			assertThat(stored.version()).isOne();
		});
		StoredToken kept = this.delegate.load("row-l").orElseThrow();
		assertThat(kept.token().tokenValue()).startsWith("v2:k1:");
		assertThat(kept.retired()).isNull();
		assertThat(kept.version()).isOne();
		assertThat(this.store.load("row-l"))
			.hasValueSatisfying((stored) -> assertThat(stored.token().tokenValue()).isEqualTo("value-legacy"));
	}

	@Test
	void aValueIsNotSealedAgainOverAnEntryThatChangedAndAFailedRewriteIsLeftToTheNextWrite() {
		assertThat(this.delegate.compareAndSet("row-l", new LongTermToken(SEALED_BY_0_1_0, "tok_l", null, null, null),
				null, 0))
			.isTrue();
		LongTermTokenStore failing = new ForwardingLongTermTokenStore(this.delegate) {

			@Override
			public boolean rewrite(String key, StoredToken expected, LongTermToken token, RetiredToken retired) {
				throw new IllegalStateException("database gone");
			}

		};
		assertThat(new EncryptingLongTermTokenStore(failing, this.cipher).load("row-l"))
			.hasValueSatisfying((stored) -> assertThat(stored.token().tokenValue()).isEqualTo("value-legacy"));
		assertThat(this.delegate.load("row-l").orElseThrow().token().tokenValue()).isEqualTo(SEALED_BY_0_1_0);
		StoredToken stale = this.delegate.load("row-l").orElseThrow();
		assertThat(this.delegate.compareAndSet("row-l", stale.token(), null, 1)).isTrue();
		assertThat(this.delegate.rewrite("row-l", stale, TOKEN, null)).isFalse();
		assertThat(this.delegate.load("row-l").orElseThrow().token().tokenValue()).isEqualTo(SEALED_BY_0_1_0);
	}

	@Test
	void plaintextIsKeptMarkedAndAnEncryptingStoreRefusesIt() {
		EncryptingLongTermTokenStore plaintext = new EncryptingLongTermTokenStore(this.delegate,
				TokenCipher.plaintext());
		assertThat(plaintext.compareAndSet("row-p", TOKEN, null, 0)).isTrue();
		assertThat(this.delegate.load("row-p").orElseThrow().token().tokenValue()).isEqualTo("plain:value-a");
		assertThat(plaintext.load("row-p")).hasValueSatisfying((stored) -> assertThat(stored.token()).isEqualTo(TOKEN));
		assertThatIllegalStateException().isThrownBy(() -> this.store.load("row-p"))
			.withMessageContaining("key row-p")
			.withMessageContaining("allow plain-text storage")
			.satisfies((ex) -> assertThat(TokenCipherException.settingsIn(ex))
				.containsExactly(C2MSetting.ALLOW_PLAINTEXT));
	}

	@Test
	void describesItselfAsItsDelegateWithTheCipherAndForwardsTheRest() {
		assertThat(this.store)
			.hasToString("InMemoryLongTermTokenStore[TokenCipher[AES-256-GCM, current key k1, keys [k1]]]");
		LongTermTokenStore described = new ForwardingLongTermTokenStore(this.delegate) {

			@Override
			public String toString() {
				return "JdbcLongTermTokenStore[table=c2m_long_term_token]";
			}

		};
		assertThat(new EncryptingLongTermTokenStore(described, this.cipher)).hasToString(
				"JdbcLongTermTokenStore[table=c2m_long_term_token, TokenCipher[AES-256-GCM, current key k1, keys [k1]]]");
		assertThat(this.store.isBlocking()).isFalse();
		Instant now = Instant.now();
		assertThat(this.store.tryLease("row-a", "x", now, now.plusSeconds(30))).isTrue();
		assertThat(this.delegate.tryLease("row-a", "y", now, now.plusSeconds(30))).isFalse();
		this.store.releaseLease("row-a", "x");
		assertThat(this.delegate.tryLease("row-a", "y", now, now.plusSeconds(30))).isTrue();
	}

	@Test
	void aTokenKeepsItsScopesInTheOrderGivenWhichTheSealIsBoundTo() {
		for (List<String> order : List.of(List.of("a", "b", "c", "d"), List.of("d", "c", "b", "a"),
				List.of("b", "d", "a", "c"), List.of("c", "a", "d", "b"))) {
			LongTermToken token = new LongTermToken("v", null, new LinkedHashSet<>(order), null, null);
			assertThat(String.join(" ", token.scopes())).isEqualTo(String.join(" ", order));
			assertThat(Arrays.asList(token.scopes().toArray())).isEqualTo(order);
		}
	}

	private void assertRefused(String key, String sealed) {
		assertThatIllegalStateException().isThrownBy(() -> this.store.load(key)).satisfies((ex) -> {
			assertThat(ex.getMessage()).contains("key " + key, "tampered", "InMemoryLongTermTokenStore")
				.doesNotContain("value-a", sealed);
		});
	}

}
