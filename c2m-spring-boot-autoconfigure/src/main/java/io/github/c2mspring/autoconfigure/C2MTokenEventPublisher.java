package io.github.c2mspring.autoconfigure;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.c2mspring.auth.token.C2MTokenEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

/**
 * Publishes the token manager's events as application events away from the thread that
 * produced them, which is often a network event-loop thread where a listener must neither
 * block nor do I/O. Events are delivered one at a time, in the order they were produced,
 * on a daemon thread of the starter's own ({@value #THREAD_NAME}) that ends with the
 * application context. Not on the application's task executor: its rejection policy may
 * drop a task or run it on the producing thread (a saturated or stopping pool), which
 * would lose events or bring them back to the event loop. A listener that throws is
 * logged and the next event is delivered. Events produced after the thread has stopped
 * (the context is closing) are delivered on the producing thread.
 */
final class C2MTokenEventPublisher implements Consumer<C2MTokenEvent>, DisposableBean {

	/** The name of the starter's own event thread. */
	static final String THREAD_NAME = "c2m-events";

	private static final Log logger = LogFactory.getLog(C2MTokenEventPublisher.class);

	private final ApplicationEventPublisher publisher;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, THREAD_NAME);
		thread.setDaemon(true);
		return thread;
	});

	private final Queue<C2MTokenEvent> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean draining = new AtomicBoolean();

	/**
	 * Publish on a thread of its own.
	 * @param publisher where the events go
	 */
	C2MTokenEventPublisher(ApplicationEventPublisher publisher) {
		Assert.notNull(publisher, "publisher must not be null");
		this.publisher = publisher;
	}

	@Override
	public void accept(C2MTokenEvent event) {
		this.queue.add(event);
		schedule();
	}

	private void schedule() {
		if (!this.draining.compareAndSet(false, true)) {
			return;
		}
		try {
			this.executor.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			drain();
		}
	}

	private void drain() {
		try {
			C2MTokenEvent event;
			while ((event = this.queue.poll()) != null) {
				deliver(event);
			}
		}
		finally {
			this.draining.set(false);
		}
		if (!this.queue.isEmpty()) {
			schedule();
		}
	}

	private void deliver(C2MTokenEvent event) {
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.warn("A C2M token event listener failed on " + event.getType() + "; the token manager carries on",
					ex);
		}
	}

	@Override
	public void destroy() {
		// the events already queued are still delivered; later ones on the producing
		// thread
		this.executor.shutdown();
	}

}
