package io.github.c2mspring.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * Checks recorded exchanges against {@code shared/spec/c2m-auth-v2.yaml} with an OpenAPI
 * validator (swagger-request-validator): the request's path, headers, security and body,
 * and the answer's status, content type, headers and body.
 */
final class ContractValidator {

	/** The contract's paths are relative to the API's base path. */
	static final String BASE_PATH = "/v2";

	private final OpenApiInteractionValidator validator = OpenApiInteractionValidator
		.createForSpecificationUrl(ContractSpec.locate().toUri().toString())
		.withBasePathOverride(BASE_PATH)
		.build();

	/**
	 * Whether an exchange is one of the contract's operations (the auth endpoints),
	 * rather than the emulator's protected API endpoint or its OAuth 2 endpoint for the
	 * benchmarks.
	 * @param exchange the exchange
	 * @return whether the contract covers it
	 */
	static boolean covered(RecordingProxy.Exchange exchange) {
		return exchange.path().startsWith(BASE_PATH + "/auth/tokens/");
	}

	/**
	 * What the contract says of a request.
	 * @param exchange the exchange
	 * @return the errors, empty when the request follows the contract
	 */
	List<String> requestErrors(RecordingProxy.Exchange exchange) {
		return errors(this.validator.validateRequest(request(exchange)));
	}

	/**
	 * What the contract says of an answer to a request.
	 * @param exchange the exchange
	 * @return the errors, empty when the answer is one the contract defines for the
	 * operation
	 */
	List<String> responseErrors(RecordingProxy.Exchange exchange) {
		SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.status());
		exchange.responseHeaders().forEach(response::withHeader);
		if (!exchange.responseBody().isEmpty()) {
			response.withBody(exchange.responseBody());
		}
		return errors(this.validator.validateResponse(exchange.path(), Request.Method.valueOf(exchange.method()),
				response.build()));
	}

	private static SimpleRequest request(RecordingProxy.Exchange exchange) {
		SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), exchange.path());
		exchange.requestHeaders().forEach(request::withHeader);
		if (!exchange.requestBody().isEmpty()) {
			request.withBody(exchange.requestBody());
		}
		return request.build();
	}

	private static List<String> errors(ValidationReport report) {
		List<String> errors = new ArrayList<>();
		for (ValidationReport.Message message : report.getMessages()) {
			if (message.getLevel() == ValidationReport.Level.ERROR) {
				errors.add(message.getKey() + ": " + message.getMessage()
						+ message.getAdditionalInfo()
							.stream()
							.collect(Collectors.joining("; ", (message.getAdditionalInfo().isEmpty() ? "" : " ("),
									(message.getAdditionalInfo().isEmpty() ? "" : ")"))));
			}
		}
		return errors;
	}

}
