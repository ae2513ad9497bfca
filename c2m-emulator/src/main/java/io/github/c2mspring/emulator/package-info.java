/**
 * An in-process emulator of the Click2Mail v2 auth API (long-term token issuance and
 * rotation, short-term exchange, revocation) and of one protected endpoint, with test
 * controls: token lifetimes, latency, faults, and what it received and issued.
 */
@NullMarked
package io.github.c2mspring.emulator;

import org.jspecify.annotations.NullMarked;
