package io.github.c2mspring.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering across the modules as the starter assembles them: the core
 * ({@code c2m-auth}) and the stores ({@code c2m-auth-jdbc}, {@code c2m-auth-redis}) know
 * nothing of Spring Boot or of the auto-configuration, and no package of the project is
 * part of a cycle.
 */
class ModuleArchitectureTests {

	/**
	 * Main classes only: test classes (here or in a tests jar) may reach across packages.
	 */
	private static final ImportOption MAIN_CLASSES = (location) -> !location.contains("/test-classes/")
			&& !location.contains("-tests.jar");

	private static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(MAIN_CLASSES)
		.importPackages("io.github.c2mspring.auth", "io.github.c2mspring.autoconfigure", "io.github.c2mspring.actuate");

	@Test
	void importsEveryModule() {
		assertThat(CLASSES.contain("io.github.c2mspring.auth.token.C2MTokenManager")).isTrue();
		assertThat(CLASSES.contain("io.github.c2mspring.auth.store.jdbc.JdbcLongTermTokenStore")).isTrue();
		assertThat(CLASSES.contain("io.github.c2mspring.auth.store.redis.RedisLongTermTokenStore")).isTrue();
		assertThat(CLASSES.contain("io.github.c2mspring.autoconfigure.C2MAutoConfiguration")).isTrue();
		assertThat(CLASSES.contain("io.github.c2mspring.actuate.C2MHealthIndicator")).isTrue();
	}

	@Test
	void coreAndStoresDoNotDependOnSpringBoot() {
		noClasses().that()
			.resideInAPackage("io.github.c2mspring.auth..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.boot..", "io.github.c2mspring.autoconfigure..",
					"io.github.c2mspring.actuate..")
			.check(CLASSES);
	}

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("io.github.c2mspring.(**)").should().beFreeOfCycles().check(CLASSES);
	}

}
