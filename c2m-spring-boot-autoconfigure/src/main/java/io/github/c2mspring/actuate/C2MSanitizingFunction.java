package io.github.c2mspring.actuate;

import java.util.Locale;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the starter's secrets in the {@code env} and {@code configprops} endpoints even
 * when an application shows their values
 * ({@code management.endpoint.env.show-values=always}): the client secret, the one-time
 * code, the pre-provisioned long-term token, the proxy password, the emulator's client
 * secret and the private key location, under their property names and their bean-property
 * names.
 */
public class C2MSanitizingFunction implements SanitizingFunction {

	private static final Set<String> SECRET_SUFFIXES = Set.of("clientsecret", "otpcode", "longtermtoken", "password",
			"privatekey");

	@Override
	public SanitizableData apply(SanitizableData data) {
		String key = data.getKey();
		if (key == null) {
			return data;
		}
		String normalized = key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(".", "");
		for (String suffix : SECRET_SUFFIXES) {
			if (normalized.endsWith(suffix)) {
				return data.withSanitizedValue();
			}
		}
		return data;
	}

}
