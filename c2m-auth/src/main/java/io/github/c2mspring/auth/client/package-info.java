/**
 * The HTTP client of the three auth endpoints, built on a Spring {@code WebClient}:
 * request writing, error decoding into {@link io.github.c2mspring.auth.C2MAuthException},
 * and an observation per call whose name and key values come from a replaceable
 * {@link io.github.c2mspring.auth.client.C2MAuthObservationConvention}.
 */
@NullMarked
package io.github.c2mspring.auth.client;

import org.jspecify.annotations.NullMarked;
