package io.github.c2mspring.autoconfigure;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

import io.github.c2mspring.auth.model.LongTokenRequest;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks of the settings that do not depend on where the connection details came from. An
 * invalid value of one property fails with Boot's
 * {@link InvalidConfigurationPropertyValueException}, whose analysis shows where the
 * value came from; the reason says the fix. Never for a secret: Boot's analysis prints
 * the value.
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

	/**
	 * Whether a URL's host is loopback by its text alone, with no name resolution: an
	 * IPv4 literal in 127.0.0.0/8, an IPv6 literal equal to {@code ::1}, or exactly
	 * {@code localhost}. A DNS name that only looks like one
	 * ({@code 127.attacker.example}, {@code localhost.attacker.example}) is not loopback:
	 * it could resolve anywhere.
	 * @param host the host as {@link URI#getHost()} gives it (IPv6 literals in brackets)
	 * @return whether the host is loopback
	 */
	static boolean isLoopback(String host) {
		if (host.equalsIgnoreCase("localhost")) {
			return true;
		}
		if (host.startsWith("[") && host.endsWith("]")) {
			return isIpv6Loopback(host.substring(1, host.length() - 1));
		}
		String[] octets = host.split("\\.", -1);
		if (octets.length != 4) {
			return false;
		}
		for (String octet : octets) {
			if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch((c) -> c >= '0' && c <= '9')
					|| Integer.parseInt(octet) > 255) {
				return false;
			}
		}
		return Integer.parseInt(octets[0]) == 127;
	}

	private static boolean isIpv6Loopback(String literal) {
		if (literal.indexOf(':') < 0 || !literal.chars().allMatch((c) -> c == ':' || Character.digit(c, 16) >= 0)) {
			// only hex digits and colons: no zone, no embedded IPv4, nothing that could
			// be a name
			return false;
		}
		try {
			InetAddress address = InetAddress.getByName(literal);
			return address instanceof Inet6Address && address.isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	static Duration checkLongTermTtl(Duration ttl) {
		if (ttl == null || ttl.toSeconds() < LongTokenRequest.MIN_TTL_SECONDS
				|| ttl.toSeconds() > LongTokenRequest.MAX_TTL_SECONDS) {
			throw invalid("c2m.auth.long-term.ttl", ttl,
					"the long-term token lifetime must be between 1 hour and 90 days, not " + ttl,
					"Set c2m.auth.long-term.ttl to a duration from 1h to 90d, such as 30d.");
		}
		return ttl;
	}

	static Duration checkPositive(String property, Duration value, String example) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(property, value, "must be a positive duration, not " + value,
					"Set " + property + " to a positive duration such as " + example + ".");
		}
		return value;
	}

	static double checkFraction(String property, double value, String example) {
		if (!(value > 0 && value < 1)) {
			throw invalid(property, value, "must be a fraction between 0 and 1 (exclusive), not " + value,
					"Set " + property + " to a value such as " + example + ".");
		}
		return value;
	}

	static Duration checkNotNegative(String property, Duration value, String example) {
		if (value == null || value.isNegative()) {
			throw invalid(property, value, "must not be negative, not " + value,
					"Set " + property + " to a duration of zero or more such as " + example + ".");
		}
		return value;
	}

	/**
	 * Boot's exception for an invalid value of one property that is not a secret.
	 * @param property the property
	 * @param value its value, as bound
	 * @param description what is wrong
	 * @param action how to fix it
	 * @return the exception
	 */
	static InvalidConfigurationPropertyValueException invalid(String property, Object value, String description,
			String action) {
		return new InvalidConfigurationPropertyValueException(property, value, description + ". " + action);
	}

}
