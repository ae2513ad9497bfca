/**
 * Typed, immutable models of the Click2Mail v2 auth contract ({@code c2m-auth-v2.yaml}):
 * the request and response bodies of {@code /auth/tokens/long},
 * {@code /auth/tokens/short} and the {@code AuthError} body. Field names are snake_case
 * on the wire; requests never carry a null or a field the contract lacks, and responses
 * tolerate fields they do not know. No {@code toString()} here prints a secret or a
 * token.
 */
@NullMarked
package io.github.c2mspring.auth.model;

import org.jspecify.annotations.NullMarked;
