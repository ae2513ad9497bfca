/**
 * The C2M emulator as a Testcontainers container, and its {@code @ServiceConnection}
 * support.
 */
package io.github.c2mspring.test.testcontainers;
