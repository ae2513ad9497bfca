package io.github.c2mspring.auth.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.c2mspring.auth.LongTermToken;
import io.github.c2mspring.auth.store.RetiredToken;
import io.github.c2mspring.auth.store.StoredToken;
import org.jspecify.annotations.Nullable;

/**
 * The fields of the hash that holds one client's entry, the same columns as the JDBC
 * store's row: the token (id, value, scopes, issue and expiry times in epoch
 * milliseconds), the token a rotation retired and when to revoke it, and the version.
 * Fields that have no value are absent.
 */
final class RedisTokenEntries {

	static final String VERSION = "version";

	static final String TOKEN_ID = "token_id";

	static final String TOKEN_VALUE = "token_value";

	static final String SCOPES = "scopes";

	static final String ISSUED_AT = "issued_at_ms";

	static final String EXPIRES_AT = "expires_at_ms";

	static final String RETIRED_TOKEN_ID = "retired_token_id";

	static final String RETIRED_REVOKE_AT = "retired_revoke_at_ms";

	private RedisTokenEntries() {
	}

	/**
	 * The field/value pairs of an entry, without the version.
	 * @param token the token
	 * @param retired the retired token, or {@code null}
	 * @return the pairs, in order
	 */
	static List<String> fields(LongTermToken token, @Nullable RetiredToken retired) {
		List<String> fields = new ArrayList<>(16);
		add(fields, TOKEN_VALUE, token.tokenValue());
		add(fields, TOKEN_ID, token.tokenId());
		add(fields, SCOPES, String.join(" ", token.scopes()));
		add(fields, ISSUED_AT, millis(token.issuedAt()));
		add(fields, EXPIRES_AT, millis(token.expiresAt()));
		if (retired != null) {
			add(fields, RETIRED_TOKEN_ID, retired.tokenId());
			add(fields, RETIRED_REVOKE_AT, millis(retired.revokeAt()));
		}
		return fields;
	}

	/**
	 * When Redis may drop an entry: once the token has expired and a retired token's
	 * revocation time has passed, plus the retention; never (0) for a token of unknown
	 * expiry.
	 * @param token the token
	 * @param retired the retired token, or {@code null}
	 * @param retention how long an expired entry is kept
	 * @return the time in epoch milliseconds, or 0 for never
	 */
	static long dropAt(LongTermToken token, @Nullable RetiredToken retired, Duration retention) {
		Instant expiresAt = token.expiresAt();
		if (expiresAt == null) {
			return 0;
		}
		Instant last = (retired != null && retired.revokeAt().isAfter(expiresAt)) ? retired.revokeAt() : expiresAt;
		return last.plus(retention).toEpochMilli();
	}

	/**
	 * The entry a hash holds.
	 * @param hash the hash's fields, empty if there is none
	 * @return the stored token, empty if the hash holds no token
	 */
	static Optional<StoredToken> read(Map<String, String> hash) {
		String value = hash.get(TOKEN_VALUE);
		String version = hash.get(VERSION);
		if (value == null || version == null) {
			return Optional.empty();
		}
		String scopes = hash.get(SCOPES);
		LongTermToken token = new LongTermToken(
				value, hash.get(TOKEN_ID), (scopes != null && !scopes.isBlank())
						? new LinkedHashSet<>(Arrays.asList(scopes.split(" "))) : Set.of(),
				instant(hash.get(ISSUED_AT)), instant(hash.get(EXPIRES_AT)));
		String retiredId = hash.get(RETIRED_TOKEN_ID);
		Instant revokeAt = instant(hash.get(RETIRED_REVOKE_AT));
		RetiredToken retired = (retiredId != null && revokeAt != null) ? new RetiredToken(retiredId, revokeAt) : null;
		return Optional.of(new StoredToken(token, retired, Long.parseLong(version)));
	}

	static @Nullable String millis(@Nullable Instant instant) {
		return (instant != null) ? Long.toString(instant.toEpochMilli()) : null;
	}

	private static @Nullable Instant instant(@Nullable String millis) {
		return (millis != null) ? Instant.ofEpochMilli(Long.parseLong(millis)) : null;
	}

	private static void add(List<String> fields, String name, @Nullable String value) {
		if (value != null) {
			fields.add(name);
			fields.add(value);
		}
	}

}
