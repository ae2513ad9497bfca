package io.github.c2mspring.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * The emulator's token authority: issues signed JWTs with real expiry (clamping long-term
 * lifetimes), finds and validates them, revokes them, and counts what it issued.
 */
final class TokenAuthority {

	/** The lifetime of a long-term token when the request names none. */
	static final Duration DEFAULT_LONG_TTL = Duration.ofDays(30);

	private final Clock clock;

	private final String issuer;

	private final Ids ids;

	private final MACSigner signer;

	private final Map<String, Token> tokensByValue = new ConcurrentHashMap<>();

	private final Map<String, Token> tokensById = new ConcurrentHashMap<>();

	private final List<Token> issued = new CopyOnWriteArrayList<>();

	private volatile Duration shortTermTtl;

	private volatile Duration maxLongTermTtl;

	TokenAuthority(Clock clock, String issuer, Ids ids, Duration shortTermTtl, Duration maxLongTermTtl) {
		this.clock = clock;
		this.issuer = issuer;
		this.ids = ids;
		this.shortTermTtl = shortTermTtl;
		this.maxLongTermTtl = maxLongTermTtl;
		try {
			this.signer = new MACSigner(ids.bytes(32));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	void setShortTermTtl(Duration ttl) {
		this.shortTermTtl = Objects.requireNonNull(ttl);
	}

	void setMaxLongTermTtl(Duration ttl) {
		this.maxLongTermTtl = Objects.requireNonNull(ttl);
	}

	/**
	 * Issue a long-term token.
	 * @param clientId the client
	 * @param scopes its scopes
	 * @param requested the lifetime asked for, or {@code null} for the default; clamped
	 * to the longest allowed
	 * @param mechanism how it was obtained
	 * @param parentId the long-term token it rotates, or {@code null}
	 * @return the token
	 */
	Token issueLongTerm(String clientId, List<String> scopes, @Nullable Duration requested, String mechanism,
			@Nullable String parentId) {
		Duration lifetime = (requested != null) ? requested : DEFAULT_LONG_TTL;
		if (lifetime.compareTo(this.maxLongTermTtl) > 0) {
			lifetime = this.maxLongTermTtl;
		}
		return issue(TokenKind.LONG_TERM, clientId, scopes, lifetime, mechanism, parentId);
	}

	/**
	 * Issue a short-term token with the current short-term lifetime.
	 * @param clientId the client
	 * @param scopes its scopes
	 * @param mechanism how it was obtained
	 * @param parentId the long-term token it came from, or {@code null}
	 * @return the token
	 */
	Token issueShortTerm(String clientId, List<String> scopes, String mechanism, @Nullable String parentId) {
		return issue(TokenKind.SHORT_TERM, clientId, scopes, this.shortTermTtl, mechanism, parentId);
	}

	private Token issue(TokenKind kind, String clientId, List<String> scopes, Duration lifetime, String mechanism,
			@Nullable String parentId) {
		Instant now = this.clock.instant();
		String id = this.ids.next((kind == TokenKind.LONG_TERM) ? "tok_lt_" : "tok_st_", 8);
		Instant expiresAt = now.plus(lifetime);
		JWTClaimsSet claims = new JWTClaimsSet.Builder().jwtID(id)
			.subject(clientId)
			.issuer(this.issuer)
			.claim("scope", String.join(" ", scopes))
			.claim("typ", (kind == TokenKind.LONG_TERM) ? "lt" : "st")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(expiresAt))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		Token token = new Token(id, kind, jwt.serialize(), clientId, scopes, now, expiresAt, mechanism, parentId);
		this.tokensByValue.put(token.value, token);
		this.tokensById.put(token.id, token);
		this.issued.add(token);
		return token;
	}

	/**
	 * The token with a value, if it is neither revoked nor expired.
	 * @param value the token value
	 * @return the token, or {@code null}
	 */
	@Nullable Token valid(@Nullable String value) {
		Token token = (value != null) ? this.tokensByValue.get(value) : null;
		return (token != null && token.isValidAt(this.clock.instant())) ? token : null;
	}

	/**
	 * The token with an id, whatever its state.
	 * @param id the token id
	 * @return the token, or {@code null}
	 */
	@Nullable Token find(@Nullable String id) {
		return (id != null) ? this.tokensById.get(id) : null;
	}

	List<IssuedToken> issuedTokens() {
		return this.issued.stream().map(Token::snapshot).toList();
	}

	int issuedCount(TokenKind kind) {
		return (int) this.issued.stream().filter((token) -> token.kind == kind).count();
	}

	void clear() {
		this.tokensById.clear();
		this.tokensByValue.clear();
		this.issued.clear();
	}

	/**
	 * Whether granted scopes cover requested ones ({@code prefix:*} covers every
	 * {@code prefix:...}).
	 * @param granted the granted scopes
	 * @param requested the requested scopes
	 * @return whether every requested scope is covered
	 */
	static boolean covers(Collection<String> granted, Collection<String> requested) {
		for (String scope : requested) {
			boolean covered = granted.stream()
				.anyMatch((grant) -> grant.equals(scope)
						|| (grant.endsWith(":*") && scope.startsWith(grant.substring(0, grant.length() - 1))));
			if (!covered) {
				return false;
			}
		}
		return true;
	}

}
