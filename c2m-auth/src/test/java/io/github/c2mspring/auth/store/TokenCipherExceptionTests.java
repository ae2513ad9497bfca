package io.github.c2mspring.auth.store;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.c2mspring.auth.C2MSetting;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A value a {@link TokenCipher} cannot read fails naming, in the core's own terms, the
 * settings that bear on it, and never the value or a key.
 */
class TokenCipherExceptionTests {

	private static final String OLD_KEY = Base64.getEncoder().encodeToString(new byte[32]);

	private static final String NEW_KEY = Base64.getEncoder()
		.encodeToString("0123456789abcdef0123456789abcdef".getBytes());

	private final TokenCipher old = TokenCipher.aesGcm(Map.of("k0", OLD_KEY));

	@Test
	void plainTextWhereTheCipherEncryptsNamesPlainTextStorage() {
		assertThatExceptionOfType(TokenCipherException.class)
			.isThrownBy(() -> this.old.decrypt("plain:the-token", "row-1"))
			.withMessageContaining("allow plain-text storage")
			.withMessageNotContaining("the-token")
			.satisfies((ex) -> assertThat(ex.getSettings()).containsExactly(C2MSetting.ALLOW_PLAINTEXT));
	}

	@Test
	void aKeyThatIsNotConfiguredNamesThePreviousEncryptionKeys() {
		String sealed = this.old.encrypt("the-token", "row-1");
		TokenCipher current = TokenCipher.aesGcm(Map.of("k1", NEW_KEY));
		assertThatExceptionOfType(TokenCipherException.class).isThrownBy(() -> current.decrypt(sealed, "row-1"))
			.withMessageContaining("'k0'")
			.withMessageContaining("add it to the previous encryption keys")
			.satisfies((ex) -> assertThat(ex.getSettings()).containsExactly(C2MSetting.PREVIOUS_ENCRYPTION_KEYS));
	}

	@Test
	void aValueTheKeyCannotOpenNamesTheKeys() {
		String sealed = this.old.encrypt("the-token", "row-1");
		Map<String, String> keys = new LinkedHashMap<>();
		keys.put("k1", NEW_KEY);
		keys.put("k0", NEW_KEY);
		TokenCipherException failure = catchThrowableOfType(TokenCipherException.class,
				() -> TokenCipher.aesGcm(keys).decrypt(sealed, "row-1"));
		assertThat(failure).hasMessageContaining("wrong key, or tampered").hasMessageNotContaining(NEW_KEY);
		assertThat(failure.getSettings()).containsExactly(C2MSetting.ENCRYPTION_KEY,
				C2MSetting.PREVIOUS_ENCRYPTION_KEYS);
	}

	@Test
	void theSettingsSurviveAStoreThatWrapsTheFailure() {
		TokenCipherException cipher = new TokenCipherException("refused", C2MSetting.ALLOW_PLAINTEXT);
		IllegalStateException wrapped = new IllegalStateException("the row is refused", cipher);
		assertThat(TokenCipherException.settingsIn(wrapped)).containsExactly(C2MSetting.ALLOW_PLAINTEXT);
		assertThat(TokenCipherException.settingsIn(new IllegalStateException("other"))).isEmpty();
	}

}
