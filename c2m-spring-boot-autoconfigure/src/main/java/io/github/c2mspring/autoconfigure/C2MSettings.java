package io.github.c2mspring.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import io.github.c2mspring.auth.model.LongTokenRequest;

/**
 * Checks of the settings that do not depend on where the connection details came from.
 */
final class C2MSettings {

	private C2MSettings() {
	}

	static String checkBaseUrl(String baseUrl, boolean allowInsecure) {
		String fix = "Set c2m.base-url to an https URL such as " + C2MProperties.DEFAULT_BASE_URL + ".";
		if (baseUrl == null || baseUrl.isBlank()) {
			throw new C2MConfigurationException("c2m.base-url", "no base URL is configured", fix);
		}
		URI uri;
		try {
			uri = URI.create(baseUrl.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new C2MConfigurationException("c2m.base-url", "'" + baseUrl + "' is not a valid URL", fix);
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
			throw new C2MConfigurationException("c2m.base-url",
					"'" + baseUrl + "' is not an absolute http(s) URL with a host", fix);
		}
		if (scheme.equals("http") && !isLoopback(uri.getHost()) && !allowInsecure) {
			throw new C2MConfigurationException("c2m.base-url",
					"'" + baseUrl + "' is plain http on a host that is not loopback: credentials and tokens would "
							+ "cross the network unencrypted",
					fix + " Only for a trusted network, set c2m.http.allow-insecure-base-url=true.");
		}
		String trimmed = baseUrl.trim();
		return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
	}

	static boolean isLoopback(String host) {
		String h = host.toLowerCase(Locale.ROOT);
		if (h.startsWith("[") && h.endsWith("]")) {
			h = h.substring(1, h.length() - 1);
		}
		return h.equals("localhost") || h.endsWith(".localhost") || h.startsWith("127.") || h.equals("::1")
				|| h.equals("0:0:0:0:0:0:0:1");
	}

	static Duration checkLongTermTtl(Duration ttl) {
		if (ttl == null || ttl.toSeconds() < LongTokenRequest.MIN_TTL_SECONDS
				|| ttl.toSeconds() > LongTokenRequest.MAX_TTL_SECONDS) {
			throw new C2MConfigurationException("c2m.auth.long-term.ttl",
					"the long-term token lifetime must be between 1 hour and 90 days, not " + ttl,
					"Set c2m.auth.long-term.ttl to a duration from 1h to 90d, such as 30d.");
		}
		return ttl;
	}

	static Duration checkPositive(String property, Duration value, String example) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new C2MConfigurationException(property, "must be a positive duration, not " + value,
					"Set " + property + " to a positive duration such as " + example + ".");
		}
		return value;
	}

	static double checkFraction(String property, double value, String example) {
		if (!(value > 0 && value < 1)) {
			throw new C2MConfigurationException(property, "must be a fraction between 0 and 1 (exclusive), not " + value,
					"Set " + property + " to a value such as " + example + ".");
		}
		return value;
	}

	static Duration checkNotNegative(String property, Duration value, String example) {
		if (value == null || value.isNegative()) {
			throw new C2MConfigurationException(property, "must not be negative, not " + value,
					"Set " + property + " to a duration of zero or more such as " + example + ".");
		}
		return value;
	}

}
