package io.github.c2mspring.auth.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import org.springframework.core.InfrastructureProxy;
import org.springframework.jdbc.datasource.ConnectionProxy;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.util.Assert;

/**
 * A {@link DataSource} whose connections give up a read that waits longer than a timeout
 * ({@link Connection#setNetworkTimeout}), so that a database that stops answering, even
 * to the cancellation a query timeout sends, cannot hold a thread forever; the connection
 * is then broken and its pool replaces it. The previous network timeout is put back when
 * the connection is closed (given back to the application's pool). A driver without
 * network timeouts is used as it is. Transactions bound to the target data source are
 * found through this one ({@link InfrastructureProxy}).
 */
final class NetworkTimeoutDataSource extends DelegatingDataSource implements InfrastructureProxy {

	/**
	 * Drivers set a socket timeout and run nothing on the executor, which the API
	 * requires.
	 */
	private static final Executor DIRECT = Runnable::run;

	private final int timeoutMillis;

	NetworkTimeoutDataSource(DataSource target, Duration timeout) {
		super(target);
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
	}

	@Override
	public Connection getConnection() throws SQLException {
		return bounded(super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return bounded(super.getConnection(username, password));
	}

	@Override
	public Object getWrappedObject() {
		return obtainTargetDataSource();
	}

	private Connection bounded(Connection connection) {
		int previous;
		try {
			previous = connection.getNetworkTimeout();
			connection.setNetworkTimeout(DIRECT, this.timeoutMillis);
		}
		catch (SQLException | UnsupportedOperationException | AbstractMethodError ex) {
			// no network timeout here: the query timeout is all there is
			return connection;
		}
		return (Connection) Proxy.newProxyInstance(ConnectionProxy.class.getClassLoader(),
				new Class<?>[] { ConnectionProxy.class }, new Restoring(connection, previous));
	}

	/**
	 * Puts the previous network timeout back when the connection is closed.
	 */
	private static final class Restoring implements InvocationHandler {

		private final Connection target;

		private final int previous;

		Restoring(Connection target, int previous) {
			this.target = target;
			this.previous = previous;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			switch (method.getName()) {
				case "equals":
					return proxy == args[0];
				case "hashCode":
					return System.identityHashCode(proxy);
				case "getTargetConnection":
					return this.target;
				case "close":
					restore();
					break;
				default:
					break;
			}
			try {
				return method.invoke(this.target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		}

		private void restore() {
			try {
				if (!this.target.isClosed()) {
					this.target.setNetworkTimeout(DIRECT, this.previous);
				}
			}
			catch (SQLException ex) {
				// a broken connection: its pool discards it
			}
		}

	}

}
