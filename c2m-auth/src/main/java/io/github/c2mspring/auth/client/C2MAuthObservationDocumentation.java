package io.github.c2mspring.auth.client;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * Documents the observation of the calls to the Click2Mail auth endpoints.
 *
 * @see DefaultC2MAuthObservationConvention
 */
public enum C2MAuthObservationDocumentation implements ObservationDocumentation {

	/**
	 * One call to an auth endpoint (issue, rotate, exchange, revoke), from the request to
	 * the answer read or the failure.
	 */
	AUTH_REQUESTS {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultC2MAuthObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

	};

	/**
	 * The low-cardinality keys of {@link #AUTH_REQUESTS}.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * The operation: {@code issue-long-term-token}, {@code rotate-long-term-token},
		 * {@code exchange-short-term-token} or {@code revoke-token}.
		 */
		OPERATION {
			@Override
			public String asString() {
				return "operation";
			}
		},

		/**
		 * How the call ended: {@code SUCCESS}, {@code CLIENT_ERROR},
		 * {@code SERVER_ERROR}, {@code TRANSPORT_ERROR}, {@code INVALID_RESPONSE} or
		 * {@code CANCELLED}.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/**
		 * The HTTP status of the answer, or {@code NONE} when no answer came.
		 */
		STATUS {
			@Override
			public String asString() {
				return "status";
			}
		},

		/**
		 * In an application with several accounts, the account the call is made for:
		 * {@code default}, or the name of one of the others. Absent with one account.
		 */
		CLIENT {
			@Override
			public String asString() {
				return "client";
			}
		}

	}

}
