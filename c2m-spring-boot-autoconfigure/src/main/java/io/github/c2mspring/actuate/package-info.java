/**
 * Actuator and Micrometer support: the {@code c2m} health indicator and the token meters.
 */
@NullMarked
package io.github.c2mspring.actuate;

import org.jspecify.annotations.NullMarked;
