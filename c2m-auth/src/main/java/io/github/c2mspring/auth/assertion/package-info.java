/**
 * Signing of the JWT assertions ({@code grant_type=assertion}) that issue a long-term
 * token from the client's private key.
 */
@NullMarked
package io.github.c2mspring.auth.assertion;

import org.jspecify.annotations.NullMarked;
