package io.github.c2mspring.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering of the core library ({@code c2m-auth}): a plain library that Spring Boot
 * configures, never the other way round, whose packages form no cycle.
 */
class CoreArchitectureTests {

	/**
	 * Main classes only: test classes (here or in a tests jar) may reach across packages.
	 */
	static final ImportOption MAIN_CLASSES = (location) -> !location.contains("/test-classes/")
			&& !location.contains("-tests.jar");

	private static final JavaClasses CORE = new ClassFileImporter().withImportOption(MAIN_CLASSES)
		.importPackages("io.github.c2mspring.auth");

	@Test
	void importsTheWholeCore() {
		assertThat(CORE.containPackage("io.github.c2mspring.auth.token")).isTrue();
		assertThat(CORE.containPackage("io.github.c2mspring.auth.security")).isTrue();
		assertThat(CORE.contain("io.github.c2mspring.auth.token.C2MTokenManager")).isTrue();
	}

	@Test
	void coreDoesNotDependOnSpringBoot() {
		noClasses().that()
			.resideInAPackage("io.github.c2mspring.auth..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.boot..")
			.because("c2m-auth is usable without Spring Boot; the auto-configuration adapts it")
			.check(CORE);
	}

	@Test
	void coreDoesNotDependOnTheAutoConfigurationOrTheJdbcStore() {
		noClasses().that()
			.resideInAPackage("io.github.c2mspring.auth..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.c2mspring.autoconfigure..", "io.github.c2mspring.actuate..",
					"io.github.c2mspring.auth.store.jdbc..", "org.springframework.jdbc..", "java.sql..", "javax.sql..")
			.check(CORE);
	}

	@Test
	void corePackagesAreFreeOfCycles() {
		slices().matching("io.github.c2mspring.(**)").should().beFreeOfCycles().check(CORE);
	}

}
