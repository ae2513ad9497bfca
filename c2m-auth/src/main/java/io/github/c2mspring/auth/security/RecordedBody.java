package io.github.c2mspring.auth.security;

import java.io.ByteArrayOutputStream;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpRequestDecorator;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.client.ClientRequest;

/**
 * The body of one {@code WebClient} request as it was written, kept so that the request
 * can be sent again with exactly the same bytes, whatever produced them (a value, or a
 * publisher that can be read only once). A body larger than the limit, or streamed with
 * flushes, is not kept, and such a request is not replayed.
 */
final class RecordedBody {

	private final int limit;

	private final Object monitor = new Object();

	private @Nullable ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private @Nullable HttpHeaders headers;

	private boolean complete;

	RecordedBody(int limit) {
		this.limit = limit;
	}

	/**
	 * The request, its body recorded as it is written.
	 * @param request the request
	 * @return the recording request
	 */
	ClientRequest record(ClientRequest request) {
		BodyInserter<?, ? super ClientHttpRequest> original = request.body();
		return ClientRequest.from(request)
			.body((message, context) -> original.insert(new Recording(message), context))
			.build();
	}

	/**
	 * Whether the body was written whole and kept.
	 * @return whether the request can be sent again
	 */
	boolean isReplayable() {
		synchronized (this.monitor) {
			return this.complete && this.bytes != null;
		}
	}

	/**
	 * The request to send again, with the recorded body and another bearer token.
	 * @param request the original request
	 * @param bearer the token to send
	 * @return the request
	 * @throws IllegalStateException if the body was not recorded whole
	 */
	ClientRequest replay(ClientRequest request, String bearer) {
		byte[] body;
		HttpHeaders written;
		synchronized (this.monitor) {
			if (!this.complete || this.bytes == null) {
				throw new IllegalStateException("the request body was not recorded whole");
			}
			body = this.bytes.toByteArray();
			written = this.headers;
		}
		return ClientRequest.from(request)
			.headers((headers) -> headers.setBearerAuth(bearer))
			.body((message, context) -> {
				if (written != null) {
					written.forEach((name, values) -> {
						if (!message.getHeaders().containsHeader(name)) {
							message.getHeaders().addAll(name, values);
						}
					});
				}
				message.getHeaders().remove(HttpHeaders.TRANSFER_ENCODING);
				message.getHeaders().setContentLength(body.length);
				return (body.length == 0) ? message.setComplete()
						: message.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(body)));
			})
			.build();
	}

	private void written(DataBuffer buffer) {
		synchronized (this.monitor) {
			if (this.bytes == null) {
				return;
			}
			int count = buffer.readableByteCount();
			if (this.bytes.size() + count > this.limit) {
				this.bytes = null;
				return;
			}
			byte[] copy = new byte[count];
			int position = buffer.readPosition();
			buffer.read(copy);
			buffer.readPosition(position);
			this.bytes.writeBytes(copy);
		}
	}

	private void started(HttpHeaders headers) {
		synchronized (this.monitor) {
			this.headers = HttpHeaders.copyOf(headers);
		}
	}

	private void completed() {
		synchronized (this.monitor) {
			this.complete = true;
		}
	}

	private void streamed() {
		synchronized (this.monitor) {
			this.bytes = null;
		}
	}

	private final class Recording extends ClientHttpRequestDecorator {

		Recording(ClientHttpRequest delegate) {
			super(delegate);
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			started(getHeaders());
			Publisher<? extends DataBuffer> recorded = (body instanceof Mono<? extends DataBuffer> mono)
					? mono.doOnNext(RecordedBody.this::written).doOnSuccess((buffer) -> completed())
					: Flux.from(body).doOnNext(RecordedBody.this::written).doOnComplete(RecordedBody.this::completed);
			return super.writeWith(recorded);
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			streamed();
			return super.writeAndFlushWith(body);
		}

		@Override
		public Mono<Void> setComplete() {
			started(getHeaders());
			completed();
			return super.setComplete();
		}

	}

}
