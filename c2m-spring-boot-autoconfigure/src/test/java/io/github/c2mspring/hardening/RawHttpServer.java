package io.github.c2mspring.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback server that misbehaves below HTTP: it reads a request and then does whatever
 * the test says with the raw socket (trickle bytes, reset mid-body), which no
 * well-behaved server library would do.
 */
final class RawHttpServer implements AutoCloseable {

	interface Behaviour {

		void answer(Socket socket, OutputStream out) throws IOException, InterruptedException;

	}

	private final ServerSocket server;

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "raw-http");
		thread.setDaemon(true);
		return thread;
	});

	RawHttpServer(Behaviour behaviour) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.executor.submit(() -> {
			while (!this.server.isClosed()) {
				Socket socket = this.server.accept();
				this.executor.submit(() -> {
					try (socket) {
						readRequest(socket.getInputStream());
						behaviour.answer(socket, socket.getOutputStream());
					}
					return null;
				});
			}
			return null;
		});
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getLocalPort() + "/v2";
	}

	private static void readRequest(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				return;
			}
			head.append((char) b);
		}
		int length = 0;
		for (String line : head.toString().split("\r\n")) {
			if (line.toLowerCase().startsWith("content-length:")) {
				length = Integer.parseInt(line.substring(15).trim());
			}
		}
		in.readNBytes(length);
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.executor.shutdownNow();
	}

}
