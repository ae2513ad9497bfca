package io.github.c2mspring.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A forwarding proxy on loopback that speaks HTTP CONNECT, optionally asks for Basic
 * credentials, and records the tunnels it opened.
 */
final class ConnectProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String expectedAuthorization;

	private final List<String> tunnels = new CopyOnWriteArrayList<>();

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "connect-proxy");
		thread.setDaemon(true);
		return thread;
	});

	ConnectProxy(String username, String password) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.expectedAuthorization = (username != null) ? "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8))
				: null;
		this.executor.submit(() -> {
			while (!this.server.isClosed()) {
				Socket client = this.server.accept();
				this.executor.submit(() -> handle(client));
			}
			return null;
		});
	}

	int port() {
		return this.server.getLocalPort();
	}

	List<String> tunnels() {
		return List.copyOf(this.tunnels);
	}

	private Void handle(Socket client) throws IOException {
		try (client) {
			InputStream in = client.getInputStream();
			OutputStream out = client.getOutputStream();
			String[] head = readHead(in).split("\r\n");
			String[] requestLine = head[0].split(" ");
			String authorization = null;
			for (String line : head) {
				if (line.toLowerCase().startsWith("proxy-authorization:")) {
					authorization = line.substring(20).trim();
				}
			}
			if (!"CONNECT".equals(requestLine[0])) {
				out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
				return null;
			}
			if (this.expectedAuthorization != null && !this.expectedAuthorization.equals(authorization)) {
				out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
						+ "Content-Length: 0\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				return null;
			}
			String[] target = requestLine[1].split(":");
			try (Socket upstream = new Socket(target[0], Integer.parseInt(target[1]))) {
				this.tunnels.add(requestLine[1]);
				out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
				this.executor.submit(() -> pipe(upstream.getInputStream(), out));
				pipe(in, upstream.getOutputStream());
			}
		}
		return null;
	}

	private static Void pipe(InputStream from, OutputStream to) {
		byte[] buffer = new byte[8192];
		try {
			int read;
			while ((read = from.read(buffer)) >= 0) {
				to.write(buffer, 0, read);
				to.flush();
			}
		}
		catch (IOException ex) {
			// the other side closed
		}
		return null;
	}

	private static String readHead(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			head.append((char) b);
		}
		return head.toString();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.executor.shutdownNow();
	}

}
