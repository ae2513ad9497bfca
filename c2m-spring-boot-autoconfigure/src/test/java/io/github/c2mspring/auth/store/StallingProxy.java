package io.github.c2mspring.auth.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback in front of a database that can be told to stop forwarding, as
 * a database that hangs or a network path that goes dead does: after {@link #stall()}
 * nothing crosses the connections open then, nor those opened later, and no connection is
 * closed; the bytes sent are swallowed. After {@link #resume()} new connections forward
 * again, while those that stalled stay dead (as a TCP connection whose path died does).
 * The proxy counts the stalled connections that the client gave up on (closed).
 */
final class StallingProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	/**
	 * Bumped by each stall: a connection opened in an earlier generation is dead from
	 * then on.
	 */
	private volatile int generation;

	private volatile boolean stalled;

	private final Semaphore stalledClosedByClient = new Semaphore(0);

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "stalling-proxy");
		thread.setDaemon(true);
		return thread;
	});

	StallingProxy(String targetHost, int targetPort) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.targetHost = targetHost;
		this.targetPort = targetPort;
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

	/**
	 * Stop forwarding on every connection, open or to come.
	 */
	void stall() {
		this.generation++;
		this.stalled = true;
	}

	/**
	 * Forward new connections again; the stalled ones stay dead.
	 */
	void resume() {
		this.stalled = false;
	}

	/**
	 * Wait until the client has closed at least one connection that stalled.
	 * @param seconds the longest to wait
	 * @return whether it did
	 */
	boolean awaitStalledConnectionClosedByClient(long seconds) throws InterruptedException {
		return this.stalledClosedByClient.tryAcquire(seconds, TimeUnit.SECONDS);
	}

	private Void handle(Socket client) throws IOException {
		int born = this.stalled ? -1 : this.generation;
		try (client; Socket upstream = new Socket(this.targetHost, this.targetPort)) {
			this.executor.submit(() -> pipe(upstream.getInputStream(), client.getOutputStream(), born));
			if (pipe(client.getInputStream(), upstream.getOutputStream(), born)) {
				this.stalledClosedByClient.release();
			}
		}
		return null;
	}

	/**
	 * Copy until the source ends, swallowing what arrives once the connection is dead.
	 * @return whether the source ended while the connection was dead
	 */
	private boolean pipe(InputStream from, OutputStream to, int born) {
		byte[] buffer = new byte[8192];
		try {
			int read;
			while ((read = from.read(buffer)) >= 0) {
				if (!isDead(born)) {
					to.write(buffer, 0, read);
					to.flush();
				}
			}
		}
		catch (IOException ex) {
			// the other side closed or reset
		}
		return isDead(born);
	}

	private boolean isDead(int born) {
		return born != this.generation;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.executor.shutdownNow();
	}

}
