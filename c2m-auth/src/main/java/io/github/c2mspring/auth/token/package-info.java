/**
 * Token management: where the long-term token comes from, the cache of short-term tokens
 * per scope set, and the {@link io.github.c2mspring.auth.C2MAuthOperations}
 * implementation on top.
 */
@NullMarked
package io.github.c2mspring.auth.token;

import org.jspecify.annotations.NullMarked;
