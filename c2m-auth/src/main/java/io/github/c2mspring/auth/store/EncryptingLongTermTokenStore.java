package io.github.c2mspring.auth.store;

import java.time.Instant;
import java.util.Optional;

import io.github.c2mspring.auth.LongTermToken;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A {@link LongTermTokenStore} that seals the token value with a {@link TokenCipher}
 * before another store keeps it, and opens it when it is read back, so that any store
 * (JDBC, or one of the application's own) keeps the value encrypted at rest. The sealed
 * value is bound, as the cipher's associated data, to what identifies its entry: the key,
 * the token id, the scopes (in the order the store gives them back), the issue and expiry
 * times in milliseconds, and the retired token's id and revocation time; a value moved to
 * another entry, or left in an entry whose other fields changed, is refused as a tampered
 * one is.
 * <p>
 * A value sealed under an older key, or in the first format, is opened and sealed again
 * in place ({@link LongTermTokenStore#rewrite}), its version kept. Nothing binds the
 * retired token recorded beside a value of the first format to it, so that retired token
 * is not trusted: it is dropped (and left to expire), and cleared when the value is
 * sealed again.
 * <p>
 * The delegate must give the scopes back in the order it was given them, as
 * {@link LongTermToken} keeps them.
 */
public final class EncryptingLongTermTokenStore implements LongTermTokenStore {

	private static final Log logger = LogFactory.getLog(EncryptingLongTermTokenStore.class);

	private final LongTermTokenStore delegate;

	private final TokenCipher cipher;

	/**
	 * Create a store that seals the values it hands to {@code delegate}.
	 * @param delegate the store that keeps the sealed values
	 * @param cipher how values are sealed
	 */
	public EncryptingLongTermTokenStore(LongTermTokenStore delegate, TokenCipher cipher) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(cipher, "cipher must not be null");
		this.delegate = delegate;
		this.cipher = cipher;
	}

	@Override
	public Optional<StoredToken> load(String key) {
		Optional<StoredToken> loaded = this.delegate.load(key);
		if (loaded.isEmpty()) {
			return loaded;
		}
		StoredToken row = loaded.get();
		String sealed = row.token().tokenValue();
		String value;
		try {
			value = this.cipher.decrypt(sealed, boundTo(key, row.token(), row.retired()));
		}
		catch (IllegalStateException ex) {
			// no value in the message: the key and the store name the entry, the cause
			// says why
			throw new IllegalStateException("the long-term token stored for key " + key + " in " + this.delegate
					+ " is refused (delete it to have a new one issued): " + ex.getMessage(), ex);
		}
		RetiredToken retired = row.retired();
		if (this.cipher.isUnbound(sealed) && retired != null) {
			// nothing binds the retired token to a value sealed before values were bound
			// to their entry: a database writer could have pointed it at the live token
			// to
			// have the fleet revoke it
			logger.warn("The C2M long-term token stored for key " + key + " in " + this.delegate + " was sealed "
					+ "before values were bound to their row; the retired token recorded beside it ("
					+ retired.tokenId() + ") is not trusted and is left to expire");
			retired = null;
		}
		LongTermToken token = withValue(row.token(), value);
		if (!this.cipher.isCurrent(sealed)) {
			sealAgain(key, row, token, retired);
		}
		return Optional.of(new StoredToken(token, retired, row.version()));
	}

	/**
	 * Seal a value of an older format or key again, bound to its entry as far as it is
	 * trusted, unless the entry changed in the meantime (its version stays: the token is
	 * the same). Best effort: the next write would do it anyway.
	 */
	private void sealAgain(String key, StoredToken row, LongTermToken token, @Nullable RetiredToken retired) {
		try {
			this.delegate.rewrite(key, row, seal(key, token, retired), retired);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not seal the C2M long-term token stored for key " + key + " in " + this.delegate
					+ " again in the current format (" + ex.getClass().getSimpleName() + "); it will be at its next "
					+ "write");
		}
	}

	@Override
	public boolean compareAndSet(String key, LongTermToken token, @Nullable RetiredToken retired,
			long expectedVersion) {
		return this.delegate.compareAndSet(key, seal(key, token, retired), retired, expectedVersion);
	}

	/**
	 * Never: this store writes every value in the current form, and cannot compare a
	 * value sealed by a decorator of its own with the one it holds.
	 * @return {@code false}
	 */
	@Override
	public boolean rewrite(String key, StoredToken expected, LongTermToken token, @Nullable RetiredToken retired) {
		return false;
	}

	@Override
	public boolean tryLease(String key, String owner, Instant now, Instant until) {
		return this.delegate.tryLease(key, owner, now, until);
	}

	@Override
	public void releaseLease(String key, String owner) {
		this.delegate.releaseLease(key, owner);
	}

	@Override
	public boolean isBlocking() {
		return this.delegate.isBlocking();
	}

	private LongTermToken seal(String key, LongTermToken token, @Nullable RetiredToken retired) {
		return withValue(token, this.cipher.encrypt(token.tokenValue(), boundTo(key, token, retired)));
	}

	/**
	 * What a sealed value is bound to: its entry's key and the fields that go with the
	 * token, so that the value cannot be moved to another entry, nor the fields changed
	 * (a retired token id pointed at the token in use, to have the fleet revoke it),
	 * without the entry being refused. The same values, in the same order and form, as
	 * the JDBC store bound its rows' columns to.
	 */
	private static @Nullable String[] boundTo(String key, LongTermToken token, @Nullable RetiredToken retired) {
		return new String[] { key, token.tokenId(), String.join(" ", token.scopes()), millis(token.issuedAt()),
				millis(token.expiresAt()), (retired != null) ? retired.tokenId() : null,
				(retired != null) ? millis(retired.revokeAt()) : null };
	}

	private static @Nullable String millis(@Nullable Instant instant) {
		return (instant != null) ? Long.toString(instant.toEpochMilli()) : null;
	}

	private static LongTermToken withValue(LongTermToken token, String value) {
		return new LongTermToken(value, token.tokenId(), token.scopes(), token.issuedAt(), token.expiresAt());
	}

	/**
	 * The delegate's description with the cipher added, e.g.
	 * {@code JdbcLongTermTokenStore[table=c2m_long_term_token, TokenCipher[AES-256-GCM, ...]]}.
	 * @return the description
	 */
	@Override
	public String toString() {
		String delegate = this.delegate.toString();
		return delegate.endsWith("]") ? delegate.substring(0, delegate.length() - 1) + ", " + this.cipher + "]"
				: delegate + "[" + this.cipher + "]";
	}

}
