package io.github.c2mspring.autoconfigure;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MSetting;
import io.github.c2mspring.auth.store.TokenCipherException;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The {@code c2m.*} properties behind each {@link C2MSetting} of the core library. The
 * core's messages name a setting in its own terms ("the store timeout") and its
 * exceptions carry the settings that bear on them
 * ({@link C2MAuthException#getSettings()}, {@link TokenCipherException#getSettings()});
 * this is where the auto-configuration translates them:
 * <table>
 * <caption>Settings and properties</caption>
 * <tr>
 * <th>setting</th>
 * <th>properties</th>
 * </tr>
 * <tr>
 * <td>{@code BLOCKING_TIMEOUT}</td>
 * <td>{@code c2m.auth.blocking-timeout}</td>
 * </tr>
 * <tr>
 * <td>{@code STORE_TIMEOUT}</td>
 * <td>{@code c2m.auth.store.timeout}</td>
 * </tr>
 * <tr>
 * <td>{@code CALL_TIMEOUT}</td>
 * <td>{@code c2m.http.call-timeout}</td>
 * </tr>
 * <tr>
 * <td>{@code READ_TIMEOUT}</td>
 * <td>{@code c2m.http.read-timeout}</td>
 * </tr>
 * <tr>
 * <td>{@code TRUST}</td>
 * <td>{@code c2m.http.ssl-bundle}</td>
 * </tr>
 * <tr>
 * <td>{@code MAX_RESPONSE_SIZE}</td>
 * <td>{@code c2m.http.max-response-size}</td>
 * </tr>
 * <tr>
 * <td>{@code CREDENTIAL}</td>
 * <td>{@code c2m.auth.client-secret}, {@code c2m.auth.otp-code},
 * {@code c2m.auth.assertion.private-key}, {@code c2m.auth.long-term-token}</td>
 * </tr>
 * <tr>
 * <td>{@code OTP_CODE}</td>
 * <td>{@code c2m.auth.otp-code}</td>
 * </tr>
 * <tr>
 * <td>{@code ALLOW_PLAINTEXT}</td>
 * <td>{@code c2m.auth.store.allow-plaintext}</td>
 * </tr>
 * <tr>
 * <td>{@code ENCRYPTION_KEY}</td>
 * <td>{@code c2m.auth.store.encryption-key}</td>
 * </tr>
 * <tr>
 * <td>{@code PREVIOUS_ENCRYPTION_KEYS}</td>
 * <td>{@code c2m.auth.store.previous-encryption-keys}</td>
 * </tr>
 * </table>
 * A failure that stops startup is reported with these names by
 * {@link C2MSettingFailureAnalyzer}; at run time, {@link #propertiesFor(Throwable)} gives
 * them for any failure (an application's exception handler or log line can add them).
 */
public final class C2MSettingProperties {

	private C2MSettingProperties() {
	}

	/**
	 * The properties that configure a setting.
	 * @param setting the setting
	 * @return the property names, at least one
	 */
	public static List<String> propertiesFor(C2MSetting setting) {
		Assert.notNull(setting, "setting must not be null");
		return switch (setting) {
			case BLOCKING_TIMEOUT -> List.of("c2m.auth.blocking-timeout");
			case STORE_TIMEOUT -> List.of("c2m.auth.store.timeout");
			case CALL_TIMEOUT -> List.of("c2m.http.call-timeout");
			case READ_TIMEOUT -> List.of("c2m.http.read-timeout");
			case TRUST -> List.of("c2m.http.ssl-bundle");
			case MAX_RESPONSE_SIZE -> List.of("c2m.http.max-response-size");
			case CREDENTIAL -> List.of("c2m.auth.client-secret", "c2m.auth.otp-code", "c2m.auth.assertion.private-key",
					"c2m.auth.long-term-token");
			case OTP_CODE -> List.of("c2m.auth.otp-code");
			case ALLOW_PLAINTEXT -> List.of("c2m.auth.store.allow-plaintext");
			case ENCRYPTION_KEY -> List.of("c2m.auth.store.encryption-key");
			case PREVIOUS_ENCRYPTION_KEYS -> List.of("c2m.auth.store.previous-encryption-keys");
		};
	}

	/**
	 * The settings a failure names: those of the first {@link C2MAuthException} or
	 * {@link TokenCipherException} among the failure and its causes that names any.
	 * @param failure the failure
	 * @return the settings, in their declaration order, possibly empty
	 */
	public static Set<C2MSetting> settingsOf(Throwable failure) {
		Throwable naming = firstNamingSettings(failure);
		return (naming != null) ? own(naming) : Collections.emptySet();
	}

	/**
	 * The first of a failure and its causes that names settings.
	 * @param failure the failure
	 * @return the exception, or {@code null}
	 */
	static @Nullable Throwable firstNamingSettings(Throwable failure) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable ex = failure; ex != null && seen.add(ex); ex = ex.getCause()) {
			if (!own(ex).isEmpty()) {
				return ex;
			}
		}
		return null;
	}

	private static Set<C2MSetting> own(Throwable ex) {
		if (ex instanceof C2MAuthException auth) {
			return auth.getSettings();
		}
		return (ex instanceof TokenCipherException cipher) ? cipher.getSettings() : Collections.emptySet();
	}

	/**
	 * The properties behind the settings a failure names.
	 * @param failure the failure
	 * @return the property names, without duplicates, possibly empty
	 */
	public static List<String> propertiesFor(Throwable failure) {
		Set<String> properties = new LinkedHashSet<>();
		settingsOf(failure).forEach((setting) -> properties.addAll(propertiesFor(setting)));
		return List.copyOf(properties);
	}

}
