/**
 * The C2M emulator inside a Spring application: started on loopback when
 * {@code c2m.emulator.enabled=true}, and the application's connection details pointed at
 * it.
 */
package io.github.c2mspring.test.emulator;
