package io.github.c2mspring.auth.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Redis server of a test's own ({@code redis-server} from the path, as
 * {@code .ci/start-redis} installs it), without persistence, that the test can stop and
 * start again empty, as a Redis without persistence comes back after a restart.
 */
final class RedisServerProcess implements AutoCloseable {

	private final int port;

	private Process process;

	RedisServerProcess() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			this.port = socket.getLocalPort();
		}
		this.process = start();
	}

	String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	int port() {
		return this.port;
	}

	/**
	 * Stop the server and start it again, empty, on the same port.
	 */
	void restartEmpty() throws IOException, InterruptedException {
		stop();
		this.process = start();
	}

	private Process start() throws IOException {
		Process started = new ProcessBuilder("redis-server", "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !started.isAlive() || answersPing());
		}
		catch (ConditionTimeoutException ex) {
			started.destroyForcibly();
			throw new IllegalStateException("redis-server did not start on port " + this.port, ex);
		}
		if (!started.isAlive()) {
			throw new IllegalStateException("redis-server exited at once (port " + this.port + " taken?)");
		}
		return started;
	}

	private boolean answersPing() {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String answer = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			return "+PONG".equals(answer);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void stop() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

}
