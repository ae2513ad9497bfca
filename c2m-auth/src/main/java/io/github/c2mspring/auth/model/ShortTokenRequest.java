package io.github.c2mspring.auth.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /auth/tokens/short}. The starter always sends the long-term token
 * in the {@code Authorization} header, so the contract's optional {@code long_token}
 * field is not modelled: a request carries at most the scopes to narrow to.
 *
 * @param scopes the scopes to narrow to, or {@code null} for the long-term token's scopes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShortTokenRequest(@JsonProperty("scopes") @Nullable List<String> scopes) {

	private static final ShortTokenRequest DEFAULT_SCOPES = new ShortTokenRequest(null);

	public ShortTokenRequest {
		scopes = (scopes != null && !scopes.isEmpty()) ? List.copyOf(scopes) : null;
	}

	/**
	 * A request for the long-term token's own scopes.
	 * @return the request
	 */
	public static ShortTokenRequest defaultScopes() {
		return DEFAULT_SCOPES;
	}

	/**
	 * A request narrowed to the given scopes (an empty list means the default scopes).
	 * @param scopes the scopes
	 * @return the request
	 */
	public static ShortTokenRequest narrowedTo(List<String> scopes) {
		return new ShortTokenRequest(scopes);
	}

}
