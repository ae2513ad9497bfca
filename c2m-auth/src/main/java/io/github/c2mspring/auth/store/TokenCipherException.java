package io.github.c2mspring.auth.store;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import io.github.c2mspring.auth.C2MSetting;

import org.springframework.util.Assert;

/**
 * A stored value that a {@link TokenCipher} cannot read: in plain text where the cipher
 * encrypts, sealed with a key it does not have, in no known format, or tampered with. It
 * names the {@link #getSettings() settings} that bear on it. Its message never contains
 * the value or a key.
 */
public class TokenCipherException extends IllegalStateException {

	private final Set<C2MSetting> settings;

	/**
	 * Create an exception.
	 * @param message what is wrong (no secrets)
	 * @param settings the settings that bear on it
	 */
	public TokenCipherException(String message, C2MSetting... settings) {
		super(message);
		Assert.noNullElements(settings, "settings must not contain null");
		this.settings = (settings.length != 0) ? Collections.unmodifiableSet(EnumSet.of(settings[0], settings))
				: Collections.emptySet();
	}

	/**
	 * The settings named by the first {@code TokenCipherException} among a failure and
	 * its causes: a store that wraps one (to name its row) keeps them.
	 * @param failure the failure
	 * @return the settings, possibly empty
	 */
	public static C2MSetting[] settingsIn(Throwable failure) {
		for (Throwable ex = failure; ex != null; ex = (ex.getCause() != ex) ? ex.getCause() : null) {
			if (ex instanceof TokenCipherException cipher) {
				return cipher.getSettings().toArray(new C2MSetting[0]);
			}
		}
		return new C2MSetting[0];
	}

	/**
	 * The settings that may fix or explain this failure.
	 * @return the settings, in their declaration order, possibly empty
	 */
	public Set<C2MSetting> getSettings() {
		return this.settings;
	}

}
