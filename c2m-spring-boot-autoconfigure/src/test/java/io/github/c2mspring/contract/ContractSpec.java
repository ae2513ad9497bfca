package io.github.c2mspring.contract;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the contract, {@code shared/spec/c2m-auth-v2.yaml}, which lives beside the
 * repository (in a checkout and in CI alike): the working directory and each of its
 * parents are searched. A missing contract fails the test rather than skipping it, since
 * CI always has it.
 */
final class ContractSpec {

	static final String RELATIVE_PATH = "shared/spec/c2m-auth-v2.yaml";

	private ContractSpec() {
	}

	static Path locate() {
		Path start = Path.of("").toAbsolutePath();
		for (Path directory = start; directory != null; directory = directory.getParent()) {
			Path candidate = directory.resolve(RELATIVE_PATH);
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("The contract " + RELATIVE_PATH + " was not found in " + start
				+ " or any of its parents: the repository must be checked out beside shared/");
	}

}
