/**
 * Actuator and Micrometer support: the {@code c2m} health indicator and the token meters.
 */
package io.github.c2mspring.actuate;
