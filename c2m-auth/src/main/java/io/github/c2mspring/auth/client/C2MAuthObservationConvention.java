package io.github.c2mspring.auth.client;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for the calls of {@link C2MAuthClient}: the name, the
 * contextual name and the key values of each call's observation. Give one to
 * {@link C2MAuthClient.Builder#observationConvention} (or, with the starter, define it as
 * a bean) to replace {@link DefaultC2MAuthObservationConvention}; extending the default
 * keeps its keys.
 *
 * @see C2MAuthObservationDocumentation
 */
public interface C2MAuthObservationConvention extends ObservationConvention<C2MAuthObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof C2MAuthObservationContext;
	}

}
