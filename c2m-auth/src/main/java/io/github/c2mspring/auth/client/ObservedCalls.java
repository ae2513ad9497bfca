package io.github.c2mspring.auth.client;

import java.time.Duration;
import java.util.function.Function;

import io.github.c2mspring.auth.C2MAuthException;
import io.github.c2mspring.auth.C2MOperation;
import io.github.c2mspring.auth.client.C2MAuthObservationContext.Outcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Runs one call: sends the request, reads a success answer or maps the failure to a
 * {@link C2MAuthException} through {@link AuthErrors}, bounds the whole call by the call
 * timeout, and observes it as {@link C2MAuthObservationDocumentation#AUTH_REQUESTS} under
 * the custom convention if there is one, else the default.
 */
final class ObservedCalls {

	private static final C2MAuthObservationConvention DEFAULT_CONVENTION = new DefaultC2MAuthObservationConvention();

	private final ObservationRegistry observationRegistry;

	private final @Nullable C2MAuthObservationConvention convention;

	private final Duration callTimeout;

	private final AuthErrors errors;

	ObservedCalls(ObservationRegistry observationRegistry, @Nullable C2MAuthObservationConvention convention,
			Duration callTimeout, AuthErrors errors) {
		this.observationRegistry = observationRegistry;
		this.convention = convention;
		this.callTimeout = callTimeout;
		this.errors = errors;
	}

	<T> Mono<T> call(C2MOperation operation, @Nullable String clientId, @Nullable String clientName,
			SecretScrubber scrubber, WebClient.RequestHeadersSpec<?> request,
			Function<ClientResponse, Mono<T>> onSuccess) {
		return Mono.defer(() -> {
			C2MAuthObservationContext context = new C2MAuthObservationContext(operation, clientId, clientName);
			Observation observation = C2MAuthObservationDocumentation.AUTH_REQUESTS
				.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.observationRegistry)
				.start();
			return request.exchangeToMono((response) -> {
				context.setStatus(response.statusCode().value());
				if (response.statusCode().is2xxSuccessful()) {
					return onSuccess.apply(response);
				}
				return response.bodyToMono(String.class)
					.defaultIfEmpty("")
					.flatMap((body) -> Mono.error(this.errors.fromResponse(operation, response, body, scrubber)));
			})
				.timeout(this.callTimeout)
				.onErrorMap((ex) -> !(ex instanceof C2MAuthException),
						(ex) -> this.errors.translate(operation, ex, scrubber))
				.doOnSuccess((result) -> stop(observation, context, Outcome.SUCCESS, null))
				.doOnError((ex) -> stop(observation, context, outcome((C2MAuthException) ex), (C2MAuthException) ex))
				.doOnCancel(() -> stop(observation, context, Outcome.CANCELLED, null));
		});
	}

	private static Outcome outcome(C2MAuthException ex) {
		if (ex.getStatus() == 0) {
			return Outcome.TRANSPORT_ERROR;
		}
		if (C2MAuthException.INVALID_RESPONSE_CODE.equals(ex.getCode())) {
			return Outcome.INVALID_RESPONSE;
		}
		return (ex.getStatus() >= 500) ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR;
	}

	private static void stop(Observation observation, C2MAuthObservationContext context, Outcome outcome,
			@Nullable C2MAuthException error) {
		if (!context.finish(outcome, (error != null) ? error.getCode() : null)) {
			return;
		}
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

}
