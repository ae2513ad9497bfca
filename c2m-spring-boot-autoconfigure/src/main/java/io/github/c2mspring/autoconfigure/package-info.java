/**
 * Auto-configuration of the Click2Mail starter: the {@code c2m.*} properties, the
 * connection details, and the beans (auth client, token manager,
 * {@code C2MAuthOperations}, Spring Security managers, {@code c2mWebClient},
 * {@code c2mRestClient}).
 */
@NullMarked
package io.github.c2mspring.autoconfigure;

import org.jspecify.annotations.NullMarked;
