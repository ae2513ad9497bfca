/**
 * Benchmarks of the starter against stock Spring Security: the JMH and scenario runners
 * (herd, refresh-blocking, overhead, outage, day, fleet, cache-hit, startup), the
 * standard OAuth 2 {@code client_credentials} endpoint Spring is measured against, and
 * the measurement helpers.
 */
@NullMarked
package io.github.c2mspring.benchmarks;

import org.jspecify.annotations.NullMarked;
