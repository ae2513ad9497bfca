/**
 * The long-term to short-term exchange as Spring Security OAuth2 client machinery: a
 * custom grant type, {@code OAuth2AuthorizedClientProvider}s (imperative and reactive)
 * backed by the token manager, and authorized-client services that keep the token manager
 * the one store.
 */
@NullMarked
package io.github.c2mspring.auth.security;

import org.jspecify.annotations.NullMarked;
