/**
 * The C2M emulator as a Testcontainers container, and its {@code @ServiceConnection}
 * support.
 */
@NullMarked
package io.github.c2mspring.test.testcontainers;

import org.jspecify.annotations.NullMarked;
