package io.github.c2mspring.auth.store;

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

import org.springframework.util.Assert;

/**
 * Encrypts token values at rest with AES-256-GCM (authenticated: a tampered value fails to
 * decrypt). A value is stored as {@code v1:<key id>:<base64 of iv and ciphertext>}, with the key
 * id also bound as associated data; values written under an older key stay readable while that
 * key is listed, and are re-encrypted under the current key at their next write. Plaintext is
 * stored only by an explicitly created {@link #plaintext()} cipher, as {@code plain:<value>}.
 */
public final class TokenCipher {

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final String currentKeyId;

	private final Map<String, SecretKeySpec> keys;

	private final SecureRandom random = new SecureRandom();

	private TokenCipher(String currentKeyId, Map<String, SecretKeySpec> keys) {
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
			Assert.isTrue(id.matches("[A-Za-z0-9_-]{1,32}"), () -> "key id '" + id + "' must be 1 to 32 letters, digits, - or _");
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
	 * Encrypt a value.
	 * @param value the token value
	 * @return the stored form
	 */
	public String encrypt(String value) {
		if (this.currentKeyId == null) {
			return "plain:" + value;
		}
		try {
			byte[] iv = new byte[IV_BYTES];
			this.random.nextBytes(iv);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.keys.get(this.currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(this.currentKeyId.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
			byte[] stored = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
			return "v1:" + this.currentKeyId + ":" + Base64.getEncoder().encodeToString(stored);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("could not encrypt the token value", ex);
		}
	}

	/**
	 * Decrypt a stored value.
	 * @param stored the stored form
	 * @return the token value
	 * @throws IllegalStateException naming the key id when it is unknown or the value was
	 * tampered with
	 */
	public String decrypt(String stored) {
		if (stored.startsWith("plain:")) {
			if (this.currentKeyId != null) {
				throw new IllegalStateException("the stored long-term token is in plain text but the store encrypts; "
						+ "issue a new token (delete the row) or set c2m.auth.store.allow-plaintext=true to read it");
			}
			return stored.substring(6);
		}
		String[] parts = stored.split(":", 3);
		if (parts.length != 3 || !"v1".equals(parts[0])) {
			throw new IllegalStateException("the stored long-term token is not in a known format");
		}
		SecretKeySpec key = this.keys.get(parts[1]);
		if (key == null) {
			throw new IllegalStateException("the stored long-term token is encrypted with key '" + parts[1]
					+ "', which is not configured; add it to c2m.auth.store.previous-encryption-keys");
		}
		try {
			byte[] data = Base64.getDecoder().decode(parts[2]);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
			cipher.updateAAD(parts[1].getBytes(StandardCharsets.UTF_8));
			return new String(cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException("the stored long-term token could not be decrypted with key '" + parts[1]
					+ "' (wrong key or tampered value)");
		}
	}

	@Override
	public String toString() {
		return "TokenCipher[" + ((this.currentKeyId != null) ? "AES-256-GCM, current key " + this.currentKeyId
				+ ", keys " + this.keys.keySet() : "plaintext") + "]";
	}

}
