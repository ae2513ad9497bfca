package io.github.c2mspring.sample;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.auth.token.C2MTokenDiagnostics;
import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.TokenKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample started as a user runs it. Started twice, each run starts clean: offline,
 * its token lives as long as the embedded emulator that issued it; with the {@code real}
 * profile it is kept on file and a restart adopts it from there. Without its secret, the
 * {@code real} profile stops at startup naming the variable to set.
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleRunTests {

	private static ConfigurableApplicationContext start(String... args) {
		String[] all = Arrays.copyOf(args, args.length + 2);
		all[args.length] = "--server.port=0";
		all[args.length + 1] = "--spring.main.banner-mode=off";
		return new SpringApplicationBuilder(SampleApplication.class).run(all);
	}

	private static void sendLetter(ConfigurableApplicationContext context) {
		String port = context.getEnvironment().getProperty("local.server.port");
		RestClient.create("http://127.0.0.1:" + port)
			.post()
			.uri("/letters")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("documentRef", "doc-1", "recipient",
					Map.of("name", "Ada Lovelace", "address", "12 St James Sq", "city", "London", "state", "LDN", "zip",
							"SW1Y")))
			.retrieve()
			.toBodilessEntity();
	}

	private static C2MTokenDiagnostics.Statistics statistics(ConfigurableApplicationContext context) {
		return context.getBean(C2MTokenManager.class).diagnostics().statistics();
	}

	private static List<String> warnings(String output) {
		return output.lines().filter((line) -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
	}

	@Test
	void everyOfflineRunStartsClean(CapturedOutput output) {
		for (int run = 1; run <= 2; run++) {
			int from = output.getAll().length();
			try (ConfigurableApplicationContext context = start()) {
				sendLetter(context);
				C2MEmulator emulator = context.getBean(C2MEmulator.class);
				assertThat(emulator.issuedCount(TokenKind.LONG_TERM)).as("run %d", run).isEqualTo(1);
				assertThat(statistics(context).issuances()).as("run %d", run).isEqualTo(1);
				assertThat(statistics(context).adoptions()).as("run %d", run).isZero();
			}
			assertThat(warnings(output.getAll().substring(from))).as("run %d", run).isEmpty();
		}
	}

	@Test
	void realProfileWithoutItsSecretStopsNamingTheVariable(CapturedOutput output) {
		assumeTrue(System.getenv("C2M_CLIENT_SECRET") == null, "C2M_CLIENT_SECRET is set");
		assertThatException().isThrownBy(() -> start("--spring.profiles.active=real", "--C2M_CLIENT_ID=client-7"));
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains("Invalid Click2Mail configuration 'c2m.auth.client-secret': holds the unresolved placeholder "
					+ "${C2M_CLIENT_SECRET}")
			.contains("Set the environment variable C2M_CLIENT_SECRET");
	}

	@Test
	void withTheRealProfileARestartAdoptsTheTokenKeptOnFile(@TempDir Path dir, CapturedOutput output) {
		// stands for Click2Mail, which outlives the application's restarts
		try (C2MEmulator server = C2MEmulator.start()) {
			server.clients().register("client-7").secret("secret-7");
			String[] args = { "--spring.profiles.active=real", "--c2m.base-url=" + server.baseUrl(),
					"--C2M_CLIENT_ID=client-7", "--C2M_CLIENT_SECRET=secret-7",
					"--spring.datasource.url=jdbc:h2:file:" + dir.resolve("tokens") };
			try (ConfigurableApplicationContext first = start(args)) {
				sendLetter(first);
				assertThat(statistics(first).issuances()).isEqualTo(1);
			}
			int from = output.getAll().length();
			try (ConfigurableApplicationContext second = start(args)) {
				assertThat(second.getBean(C2MAuthOperations.class).getLongTermTokenInfo().tokenId())
					.isEqualTo(server.issuedTokens()
						.stream()
						.filter((token) -> token.kind() == TokenKind.LONG_TERM)
						.findFirst()
						.orElseThrow()
						.id());
				assertThat(statistics(second).adoptions()).as("not used yet").isZero();
				sendLetter(second);
				assertThat(statistics(second).adoptions()).isEqualTo(1);
				assertThat(statistics(second).issuances()).isZero();
			}
			assertThat(server.issuedCount(TokenKind.LONG_TERM)).isEqualTo(1);
			assertThat(warnings(output.getAll().substring(from))).isEmpty();
		}
	}

}
