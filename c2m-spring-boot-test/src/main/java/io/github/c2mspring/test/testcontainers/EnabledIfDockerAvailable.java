package io.github.c2mspring.test.testcontainers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a container test only where Docker is available, and says so when it is skipped.
 * Unlike {@code @Testcontainers(disabledWithoutDocker = true)}, it cannot turn a broken
 * set-up into a silent skip where Docker is required: with the environment variable
 * {@value DockerAvailableCondition#REQUIRE_DOCKER} set to {@code true} (as CI does), a
 * missing Docker fails the test instead. Put it before {@code @Testcontainers} so that it
 * is evaluated before any container starts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DockerAvailableCondition.class)
public @interface EnabledIfDockerAvailable {

}
