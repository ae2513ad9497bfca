package io.github.c2mspring.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * The {@code startup} scenario: what the starter adds to the refresh of a non-web
 * application context. Each launch is a separate JVM (the same {@code java}, options and
 * classpath as this one) that builds a {@link SpringApplication} with
 * {@link WebApplicationType#NONE} and reports the time from
 * {@link ApplicationPreparedEvent} (just before the refresh) to
 * {@link ContextRefreshedEvent} (the refresh done, lifecycle beans started), and its bean
 * count, and the CPU time the main thread (which does the whole refresh) spent in that
 * window: the wall time of a launch moves by a few hundred milliseconds with what else
 * the shared machine runs, the CPU time of the thread far less. Three variants, launched
 * interleaved in a rotating order so that the noise of a shared machine spreads over all
 * of them:
 * <ul>
 * <li>{@code plain}: the same classpath with the starter's auto-configurations
 * excluded;</li>
 * <li>{@code ours}: the starter on, with a client-secret credential and a base URL on a
 * loopback port where this process only counts connections: startup must make none;</li>
 * <li>{@code disabled}: the starter on the classpath, switched off by
 * {@code c2m.enabled=false}.</li>
 * </ul>
 * Prints the medians of both.
 */
final class StartupBenchmark {

	/**
	 * Launches per variant: 10, or {@code C2M_BENCH_STARTUP_LAUNCHES} for a tighter
	 * median on a noisy machine.
	 */
	private static final int LAUNCHES = Integer
		.parseInt(Objects.requireNonNullElse(System.getenv("C2M_BENCH_STARTUP_LAUNCHES"), "10"));

	private static final List<String> VARIANTS = List.of("plain", "ours", "disabled");

	private static final String OUR_AUTO_CONFIGURATIONS = String.join(",",
			"io.github.c2mspring.autoconfigure.C2MAutoConfiguration",
			"io.github.c2mspring.autoconfigure.C2MOAuth2ClientAutoConfiguration",
			"io.github.c2mspring.autoconfigure.C2MHealthContributorAutoConfiguration",
			"io.github.c2mspring.autoconfigure.C2MMetricsAutoConfiguration",
			"io.github.c2mspring.autoconfigure.C2MActuatorAutoConfiguration");

	private static final String RESULT_PREFIX = "STARTUP ";

	private StartupBenchmark() {
	}

	/**
	 * The parent: launches the JVMs and prints the {@code RESULT} line.
	 * @throws Exception if a launch fails
	 */
	static void run() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			AtomicInteger connections = new AtomicInteger();
			Thread acceptor = new Thread(() -> {
				while (!server.isClosed()) {
					try (Socket socket = server.accept()) {
						connections.incrementAndGet();
					}
					catch (IOException ex) {
						// closed
					}
				}
			}, "startup-connections");
			acceptor.setDaemon(true);
			acceptor.start();
			Map<String, List<Double>> times = new LinkedHashMap<>();
			Map<String, List<Double>> cpuTimes = new LinkedHashMap<>();
			Map<String, List<Integer>> beans = new LinkedHashMap<>();
			VARIANTS.forEach((variant) -> {
				times.put(variant, new ArrayList<>());
				cpuTimes.put(variant, new ArrayList<>());
				beans.put(variant, new ArrayList<>());
			});
			for (int launch = 0; launch < LAUNCHES; launch++) {
				for (int i = 0; i < VARIANTS.size(); i++) {
					String variant = VARIANTS.get((launch + i) % VARIANTS.size());
					String[] result = launch(variant, server.getLocalPort()).split(" ");
					of(times, variant).add(Double.parseDouble(result[0]));
					of(beans, variant).add(Integer.parseInt(result[1]));
					of(cpuTimes, variant).add(Double.parseDouble(result[2]));
				}
			}
			if (connections.get() != 0) {
				throw new IllegalStateException(
						"the starter connected to the server " + connections.get() + " time(s) during startup");
			}
			System.out.printf(Locale.ROOT,
					"RESULT scenario=startup launches=%d plain_refresh_ms=%.1f ours_refresh_ms=%.1f "
							+ "disabled_refresh_ms=%.1f ours_added_ms=%.1f plain_beans=%d ours_beans=%d "
							+ "disabled_beans=%d ours_added_beans=%d startup_connections=%d plain_cpu_ms=%.1f "
							+ "ours_cpu_ms=%.1f disabled_cpu_ms=%.1f ours_added_cpu_ms=%.1f%n",
					LAUNCHES, median(of(times, "plain")), median(of(times, "ours")), median(of(times, "disabled")),
					median(of(times, "ours")) - median(of(times, "plain")), of(beans, "plain").get(0),
					of(beans, "ours").get(0), of(beans, "disabled").get(0),
					of(beans, "ours").get(0) - of(beans, "plain").get(0), connections.get(),
					median(of(cpuTimes, "plain")), median(of(cpuTimes, "ours")), median(of(cpuTimes, "disabled")),
					median(of(cpuTimes, "ours")) - median(of(cpuTimes, "plain")));
		}
	}

	private static String launch(String variant, int port) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(StartupBenchmark.class.getName());
		command.add(variant);
		command.add(Integer.toString(port));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String result = null;
		StringBuilder output = new StringBuilder();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith(RESULT_PREFIX)) {
					result = line.substring(RESULT_PREFIX.length());
				}
				else {
					output.append(line).append('\n');
				}
			}
		}
		int exit = process.waitFor();
		if (exit != 0 || result == null) {
			throw new IllegalStateException("the " + variant + " launch failed (exit " + exit + "):\n" + output);
		}
		return result;
	}

	private static <T> List<T> of(Map<String, List<T>> byVariant, String variant) {
		return Objects.requireNonNull(byVariant.get(variant), variant);
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * One launch: starts the context of the variant, prints
	 * {@code STARTUP <refresh-ms> <bean-count>} and closes it.
	 * @param args the variant and the loopback port of the base URL
	 */
	public static void main(String[] args) {
		String variant = args[0];
		List<String> properties = new ArrayList<>(List.of("spring.main.banner-mode=off", "logging.level.root=warn",
				"c2m.base-url=http://127.0.0.1:" + args[1] + "/v2", "c2m.http.allow-insecure-base-url=true",
				"c2m.client-id=startup-client", "c2m.auth.client-secret=startup-secret"));
		switch (variant) {
			case "plain" -> properties.add("spring.autoconfigure.exclude=" + OUR_AUTO_CONFIGURATIONS);
			case "ours" -> {
			}
			case "disabled" -> properties.add("c2m.enabled=false");
			default -> throw new IllegalArgumentException("unknown variant '" + variant + "'; one of " + VARIANTS);
		}
		long[] prepared = new long[2];
		long[] refreshed = new long[2];
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		threads.getCurrentThreadCpuTime();
		SpringApplication application = new SpringApplication(StartupApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		Map<String, Object> defaults = new LinkedHashMap<>();
		properties.forEach((entry) -> defaults.put(entry.substring(0, entry.indexOf('=')),
				entry.substring(entry.indexOf('=') + 1)));
		application.setDefaultProperties(defaults);
		application.addListeners((event) -> {
			if (event instanceof ApplicationPreparedEvent) {
				prepared[0] = System.nanoTime();
				prepared[1] = threads.getCurrentThreadCpuTime();
			}
			else if (event instanceof ContextRefreshedEvent) {
				refreshed[0] = System.nanoTime();
				refreshed[1] = threads.getCurrentThreadCpuTime();
			}
		});
		try (ConfigurableApplicationContext context = application.run()) {
			System.out.printf(Locale.ROOT, "%s%.2f %d %.2f%n", RESULT_PREFIX, (refreshed[0] - prepared[0]) / 1e6,
					context.getBeanDefinitionCount(), (refreshed[1] - prepared[1]) / 1e6);
		}
		System.exit(0);
	}

	/**
	 * A Boot application with nothing of its own: only auto-configuration.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StartupApplication {

	}

}
