package io.github.c2mspring.auth.client;

import java.util.Objects;

import io.github.c2mspring.auth.client.C2MAuthObservationContext.Outcome;
import io.github.c2mspring.auth.client.C2MAuthObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import org.springframework.util.Assert;

/**
 * The default {@link C2MAuthObservationConvention}: the observation
 * {@value #DEFAULT_NAME}, contextually named {@code c2m <operation>}, with the
 * low-cardinality keys {@code operation}, {@code outcome} and {@code status} (the HTTP
 * status, or {@code NONE} when no answer came). While a call is in progress only
 * {@code operation} is known, so only it is set. No high-cardinality key: the client id
 * is left out.
 * <p>
 * Not final, so that a convention can add keys to these (override
 * {@link #getLowCardinalityKeyValues} and call {@code super}).
 *
 * @see C2MAuthObservationDocumentation#AUTH_REQUESTS
 */
public class DefaultC2MAuthObservationConvention implements C2MAuthObservationConvention {

	/** The default name of the observation (and so of the timer). */
	public static final String DEFAULT_NAME = "c2m.auth.requests";

	private static final KeyValue STATUS_NONE = KeyValue.of(LowCardinalityKeyNames.STATUS, "NONE");

	private final String name;

	/**
	 * Create a convention with the name {@value #DEFAULT_NAME}.
	 */
	public DefaultC2MAuthObservationConvention() {
		this(DEFAULT_NAME);
	}

	/**
	 * Create a convention with another name.
	 * @param name the name of the observation
	 */
	public DefaultC2MAuthObservationConvention(String name) {
		Assert.hasText(name, "name must not be empty");
		this.name = name;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public String getContextualName(C2MAuthObservationContext context) {
		return "c2m " + context.getOperation().tagValue();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(C2MAuthObservationContext context) {
		KeyValues keyValues = (context.getOutcome() != null)
				? KeyValues.of(operation(context), outcome(context), status(context))
				: KeyValues.of(operation(context));
		return (context.getClientName() != null) ? keyValues.and(client(context)) : keyValues;
	}

	/**
	 * The {@code client} key value, in an application with several accounts.
	 * @param context the context
	 * @return the key value, such as {@code default} or {@code billing}
	 */
	protected KeyValue client(C2MAuthObservationContext context) {
		String name = context.getClientName();
		return KeyValue.of(LowCardinalityKeyNames.CLIENT, (name != null) ? name : "default");
	}

	/**
	 * The {@code operation} key value.
	 * @param context the context
	 * @return the key value, such as {@code exchange-short-term-token}
	 */
	protected KeyValue operation(C2MAuthObservationContext context) {
		return KeyValue.of(LowCardinalityKeyNames.OPERATION, context.getOperation().tagValue());
	}

	/**
	 * The {@code outcome} key value, for a call that has ended.
	 * @param context the context
	 * @return the key value, such as {@code SUCCESS}
	 * @throws NullPointerException if the call has not ended (no outcome yet)
	 */
	protected KeyValue outcome(C2MAuthObservationContext context) {
		Outcome outcome = Objects.requireNonNull(context.getOutcome(), "the call has not ended: it has no outcome yet");
		return KeyValue.of(LowCardinalityKeyNames.OUTCOME, outcome.name());
	}

	/**
	 * The {@code status} key value.
	 * @param context the context
	 * @return the key value: the HTTP status, or {@code NONE}
	 */
	protected KeyValue status(C2MAuthObservationContext context) {
		int status = context.getStatus();
		return (status > 0) ? KeyValue.of(LowCardinalityKeyNames.STATUS, Integer.toString(status)) : STATUS_NONE;
	}

}
