package io.github.c2mspring.auth.token;

import java.time.Instant;
import java.util.function.Predicate;

import io.github.c2mspring.auth.LongTermToken;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Which stored token an instance may adopt: one with enough life left that the server has
 * not refused to this instance.
 */
final class TokenAdoption {

	private final Predicate<LongTermToken> usable;

	private volatile @Nullable String refusedValue;

	/**
	 * Create the rule.
	 * @param usable whether a token has enough life left to be used
	 */
	TokenAdoption(Predicate<LongTermToken> usable) {
		Assert.notNull(usable, "usable must not be null");
		this.usable = usable;
	}

	/**
	 * Learn that the server refused a token (revoked or expired), so that it is never
	 * adopted again.
	 * @param refused the refused token
	 */
	void refused(LongTermToken refused) {
		this.refusedValue = refused.tokenValue();
	}

	/**
	 * Whether the server refused a token to this instance.
	 * @return whether it did
	 */
	boolean anyRefused() {
		return this.refusedValue != null;
	}

	boolean usable(LongTermToken token) {
		return this.usable.test(token);
	}

	boolean adoptable(LongTermToken token) {
		return !token.tokenValue().equals(this.refusedValue) && this.usable.test(token);
	}

	/**
	 * Whether a stored token replaces the held one: another value, and adoptable.
	 * @param stored the stored token
	 * @param held the token this instance holds
	 * @return whether it is to be adopted in place of {@code held}
	 */
	boolean isNewer(LongTermToken stored, LongTermToken held) {
		return !sameValue(stored, held) && adoptable(stored);
	}

	/**
	 * Whether a stored token was issued before the held one: the store went back in time
	 * if this instance shares the held one with the fleet.
	 * @param stored the stored token
	 * @param held the token this instance holds
	 * @return whether both issue times are known and the stored one is earlier
	 */
	static boolean isOlder(LongTermToken stored, LongTermToken held) {
		Instant storedAt = stored.issuedAt();
		Instant heldAt = held.issuedAt();
		return storedAt != null && heldAt != null && storedAt.isBefore(heldAt) && !sameValue(stored, held);
	}

	static boolean sameValue(LongTermToken a, LongTermToken b) {
		return a.tokenValue().equals(b.tokenValue());
	}

}
