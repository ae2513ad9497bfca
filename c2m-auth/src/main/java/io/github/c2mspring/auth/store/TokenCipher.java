package io.github.c2mspring.auth.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.github.c2mspring.auth.C2MSetting;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Encrypts token values at rest with AES-256-GCM (authenticated: a tampered value fails
 * to decrypt). A value is stored as {@code v2:<key id>:<base64 of iv and ciphertext>} and
 * bound, as GCM associated data, to the format, the key id and the values the caller
 * names ({@link EncryptingLongTermTokenStore}: its entry's key, token id, scopes, times
 * and retired token), so that a value moved to another row, or left in a row whose other
 * columns were changed, fails to decrypt as a tampered one does. Values written under an
 * older key stay readable while that key is listed; {@link #isCurrent} tells the caller
 * to seal them again under the current key.
 * <p>
 * Values of the first format, {@code v1:<key id>:<base64>} (the key id alone bound,
 * written by version 0.1.0), are still read, whatever they are bound to, and are not
 * current: a store seals them again in the current format. Plaintext is stored only by an
 * explicitly created {@link #plaintext()} cipher, as {@code plain:<value>}, and is bound
 * to nothing.
 */
public final class TokenCipher {

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	/** The format of values bound to their row. */
	private static final String FORMAT = "v2";

	/** The format of values bound to their key id only, read but no longer written. */
	private static final String LEGACY_FORMAT = "v1";

	private final @Nullable String currentKeyId;

	private final Map<String, SecretKeySpec> keys;

	private final SecureRandom random = new SecureRandom();

	private TokenCipher(@Nullable String currentKeyId, Map<String, SecretKeySpec> keys) {
		this.currentKeyId = currentKeyId;
		this.keys = keys;
	}

	/**
	 * A cipher that encrypts with the first key and decrypts with any of them.
	 * @param keys key id to base64-encoded 256-bit key, the current key first
	 * @return the cipher
	 */
	public static TokenCipher aesGcm(Map<String, String> keys) {
		Assert.notEmpty(keys, "at least one key is needed");
		Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
		keys.forEach((id, encoded) -> {
			Assert.isTrue(id.matches("[A-Za-z0-9_-]{1,32}"),
					() -> "key id '" + id + "' must be 1 to 32 letters, digits, - or _");
			byte[] key;
			try {
				key = Base64.getDecoder().decode(encoded.trim());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("key '" + id + "' is not base64");
			}
			Assert.isTrue(key.length == 32, () -> "key '" + id + "' must be 32 bytes (256 bits), not " + key.length);
			specs.put(id, new SecretKeySpec(key, "AES"));
		});
		return new TokenCipher(specs.keySet().iterator().next(), specs);
	}

	/**
	 * A cipher that stores values in plain text, for a store whose owner opted in to it.
	 * @return the cipher
	 */
	public static TokenCipher plaintext() {
		return new TokenCipher(null, Map.of());
	}

	/**
	 * Encrypt a value, bound to the values that go with it.
	 * @param value the token value
	 * @param boundTo the values it goes with (each may be {@code null}); decrypting needs
	 * the same ones, in the same order
	 * @return the stored form
	 */
	public String encrypt(String value, @Nullable String... boundTo) {
		Assert.notNull(value, "value must not be null");
		if (this.currentKeyId == null) {
			return "plain:" + value;
		}
		try {
			byte[] iv = new byte[IV_BYTES];
			this.random.nextBytes(iv);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.keys.get(this.currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(associatedData(this.currentKeyId, boundTo));
			byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
			byte[] stored = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
			return FORMAT + ":" + this.currentKeyId + ":" + Base64.getEncoder().encodeToString(stored);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("could not encrypt the token value", ex);
		}
	}

	/**
	 * Whether a stored value is in the current format under the current key (a plaintext
	 * cipher's values always are), or is to be sealed again.
	 * @param stored the stored form
	 * @return whether {@link #encrypt} would write it the same way
	 */
	public boolean isCurrent(String stored) {
		if (this.currentKeyId == null) {
			return true;
		}
		return stored.startsWith(FORMAT + ":" + this.currentKeyId + ":");
	}

	/**
	 * Whether a stored value was sealed before values were bound to their row (the first
	 * format: only the key id is bound), so that nothing ties the row's other columns to
	 * it.
	 * @param stored the stored form
	 * @return whether the value is of the first format
	 */
	public boolean isUnbound(String stored) {
		return stored.startsWith(LEGACY_FORMAT + ":");
	}

	/**
	 * Decrypt a stored value.
	 * @param stored the stored form
	 * @param boundTo the values it was encrypted with; ignored for a value of the first
	 * format, which was bound to none
	 * @return the token value
	 * @throws TokenCipherException naming the key id when it is unknown, or when the
	 * value was tampered with or is bound to other values
	 */
	public String decrypt(String stored, @Nullable String... boundTo) {
		if (stored.startsWith("plain:")) {
			if (this.currentKeyId != null) {
				throw new TokenCipherException(
						"the stored long-term token is in plain text but the store encrypts; "
								+ "issue a new token (delete the row) or allow plain-text storage to read it",
						C2MSetting.ALLOW_PLAINTEXT);
			}
			return stored.substring(6);
		}
		String[] parts = stored.split(":", 3);
		boolean legacy = LEGACY_FORMAT.equals(parts[0]);
		if (parts.length != 3 || (!legacy && !FORMAT.equals(parts[0]))) {
			throw new TokenCipherException("the stored long-term token is not in a known format");
		}
		SecretKeySpec key = this.keys.get(parts[1]);
		if (key == null) {
			throw new TokenCipherException(
					"the stored long-term token is encrypted with key '" + parts[1]
							+ "', which is not configured; add it to the previous encryption keys",
					C2MSetting.PREVIOUS_ENCRYPTION_KEYS);
		}
		try {
			byte[] data = Base64.getDecoder().decode(parts[2]);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
			cipher.updateAAD(legacy ? parts[1].getBytes(StandardCharsets.UTF_8) : associatedData(parts[1], boundTo));
			return new String(cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new TokenCipherException("the stored long-term token could not be decrypted with key '" + parts[1]
					+ "' (wrong key, or tampered: the value or its row changed or was moved since it was sealed)",
					C2MSetting.ENCRYPTION_KEY, C2MSetting.PREVIOUS_ENCRYPTION_KEYS);
		}
	}

	/**
	 * The associated data of the current format: the format, the key id and each bound
	 * value, length-prefixed so that no two lists of values give the same bytes
	 * ({@code null} is -1).
	 */
	private static byte[] associatedData(String keyId, @Nullable String[] boundTo) {
		String[] values = (boundTo != null) ? boundTo : new String[0];
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeUTF(FORMAT);
			out.writeUTF(keyId);
			out.writeInt(values.length);
			for (String value : values) {
				if (value == null) {
					out.writeInt(-1);
				}
				else {
					byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
					out.writeInt(utf8.length);
					out.write(utf8);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	@Override
	public String toString() {
		return "TokenCipher[" + ((this.currentKeyId != null)
				? "AES-256-GCM, current key " + this.currentKeyId + ", keys " + this.keys.keySet() : "plaintext") + "]";
	}

}
