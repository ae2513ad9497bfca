package io.github.c2mspring.emulator;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an emulator as a process (the entry point of its Docker image). Settings come from
 * environment variables or system properties of the same name: {@code C2M_EMULATOR_PORT}
 * (8089), {@code C2M_EMULATOR_BIND} (0.0.0.0), {@code C2M_EMULATOR_CLIENT_ID}
 * ({@code demo-client}), {@code C2M_EMULATOR_CLIENT_SECRET} ({@code demo-secret}),
 * {@code C2M_EMULATOR_SHORT_TTL_SECONDS} (900).
 */
public final class C2MEmulatorMain {

	private C2MEmulatorMain() {
	}

	public static void main(String[] args) throws InterruptedException, UnknownHostException {
		int port = Integer.parseInt(setting("C2M_EMULATOR_PORT", "8089"));
		InetAddress bind = InetAddress.getByName(setting("C2M_EMULATOR_BIND", "0.0.0.0"));
		String clientId = setting("C2M_EMULATOR_CLIENT_ID", "demo-client");
		long shortTtl = Long.parseLong(setting("C2M_EMULATOR_SHORT_TTL_SECONDS", "900"));
		C2MEmulator emulator = C2MEmulator.builder()
			.port(port)
			.bindAddress(bind)
			.shortTermTtl(Duration.ofSeconds(shortTtl))
			.start();
		emulator.clients().register(clientId).secret(setting("C2M_EMULATOR_CLIENT_SECRET", "demo-secret"));
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			emulator.close();
			stopped.countDown();
		}, "c2m-emulator-shutdown"));
		System.out.println("C2M emulator listening on http://" + bind.getHostAddress() + ":" + emulator.port()
				+ "/v2 (client id " + clientId + ")");
		stopped.await();
	}

	private static String setting(String name, String fallback) {
		String value = System.getProperty(name, System.getenv(name));
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}
