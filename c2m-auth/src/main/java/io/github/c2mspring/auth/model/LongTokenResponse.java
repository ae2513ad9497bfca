package io.github.c2mspring.auth.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Successful (201) answer of {@code POST /auth/tokens/long}. The server also sends the
 * token id in the {@code X-Token-Id} header; the client fills {@link #tokenId()} from it
 * when the body lacks it.
 *
 * @param tokenType the token type ({@code Bearer})
 * @param accessToken the token value, a secret
 * @param expiresIn the lifetime in seconds
 * @param expiresAt the expiry on the server's clock, as sent (informational)
 * @param scopes the granted scopes
 * @param tokenId the server's identifier of the token
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LongTokenResponse(@JsonProperty("token_type") @Nullable String tokenType,
		@JsonProperty("access_token") String accessToken, @JsonProperty("expires_in") Long expiresIn,
		@JsonProperty("expires_at") @Nullable String expiresAt, @JsonProperty("scopes") List<String> scopes,
		@JsonProperty("token_id") @Nullable String tokenId) implements TokenResponse {

	public LongTokenResponse {
		scopes = (scopes != null) ? List.copyOf(scopes) : List.of();
	}

	@Override
	public String toString() {
		return "LongTokenResponse[tokenType=" + this.tokenType + ", accessToken=<masked>, expiresIn=" + this.expiresIn
				+ ", expiresAt=" + this.expiresAt + ", scopes=" + this.scopes + ", tokenId=" + this.tokenId + "]";
	}

	/**
	 * Return a copy whose token id is the given one when this response carries none.
	 * @param headerTokenId the {@code X-Token-Id} header value, or {@code null}
	 * @return the response with a token id where one is known
	 */
	public LongTokenResponse withTokenIdIfMissing(@Nullable String headerTokenId) {
		if (this.tokenId != null || headerTokenId == null) {
			return this;
		}
		return new LongTokenResponse(this.tokenType, this.accessToken, this.expiresIn, this.expiresAt, this.scopes,
				headerTokenId);
	}

}
