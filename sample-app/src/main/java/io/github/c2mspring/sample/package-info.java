/**
 * A letter-sending service built on the C2M starter: a REST endpoint that submits letters
 * as single-document jobs through the {@code c2mWebClient}.
 */
@NullMarked
package io.github.c2mspring.sample;

import org.jspecify.annotations.NullMarked;
