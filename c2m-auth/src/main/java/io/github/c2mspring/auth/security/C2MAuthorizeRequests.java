package io.github.c2mspring.auth.security;

import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * How a scope set travels through an {@link OAuth2AuthorizeRequest}: Spring Security's
 * own convention, the {@code scope} attribute as a space-delimited string, which the
 * managers' default context-attributes mapper turns into
 * {@link OAuth2AuthorizationContext#REQUEST_SCOPE_ATTRIBUTE_NAME}.
 *
 * <pre class="code">
 * OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId("c2m")
 *     .principal("batch")
 *     .attributes(C2MAuthorizeRequests.scopes(List.of("jobs:submit")))
 *     .build();
 * </pre>
 */
public final class C2MAuthorizeRequests {

	private C2MAuthorizeRequests() {
	}

	/**
	 * Ask for a short-term token narrowed to the given scopes.
	 * @param scopes the scopes
	 * @return a consumer for {@link OAuth2AuthorizeRequest.Builder#attributes(Consumer)}
	 */
	public static Consumer<Map<String, Object>> scopes(Collection<String> scopes) {
		Assert.notEmpty(scopes, "scopes must not be empty");
		String value = StringUtils.collectionToDelimitedString(scopes, " ");
		return (attributes) -> attributes.put(OAuth2ParameterNames.SCOPE, value);
	}

}
