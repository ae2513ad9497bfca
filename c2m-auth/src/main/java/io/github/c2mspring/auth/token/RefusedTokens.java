package io.github.c2mspring.auth.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The short-term token values the API refused lately, kept as SHA-256 digests (no token
 * value is held) in a bounded, least-recently-reported order.
 */
final class RefusedTokens {

	private final Map<String, Boolean> digests;

	RefusedTokens(int capacity) {
		this.digests = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > capacity;
			}

		};
	}

	/**
	 * Remember a refused value.
	 * @param tokenValue the value
	 * @return whether it was not remembered already
	 */
	synchronized boolean add(String tokenValue) {
		return this.digests.put(digest(tokenValue), Boolean.TRUE) == null;
	}

	synchronized boolean contains(String tokenValue) {
		return this.digests.containsKey(digest(tokenValue));
	}

	private static String digest(String tokenValue) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(tokenValue.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
	}

}
