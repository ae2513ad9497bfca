/**
 * The public face of the starter: {@link io.github.c2mspring.auth.C2MAuthOperations} (the
 * three auth endpoints, typed, plus the managed tokens), the credentials it can issue a
 * long-term token from, the immutable token values it hands out, and the one exception
 * type every failure becomes.
 */
@NullMarked
package io.github.c2mspring.auth;

import org.jspecify.annotations.NullMarked;
