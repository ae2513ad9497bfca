/**
 * The C2M emulator inside a Spring application: started on loopback when
 * {@code c2m.emulator.enabled=true}, and the application's connection details pointed at
 * it.
 */
@NullMarked
package io.github.c2mspring.test.emulator;

import org.jspecify.annotations.NullMarked;
