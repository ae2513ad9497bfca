package io.github.c2mspring.emulator;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Random identifiers and keys of one emulator.
 */
final class Ids {

	private final SecureRandom random = new SecureRandom();

	/**
	 * Random bytes.
	 * @param count how many
	 * @return the bytes
	 */
	byte[] bytes(int count) {
		byte[] value = new byte[count];
		this.random.nextBytes(value);
		return value;
	}

	/**
	 * A random id: a prefix and {@code bytes} random bytes in hex.
	 * @param prefix the prefix
	 * @param bytes how many random bytes
	 * @return the id
	 */
	String next(String prefix, int bytes) {
		return prefix + HexFormat.of().formatHex(bytes(bytes));
	}

}
