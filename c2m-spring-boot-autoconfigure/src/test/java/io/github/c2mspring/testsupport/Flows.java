package io.github.c2mspring.testsupport;

import java.util.Map;

import org.springframework.context.ApplicationContext;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Flows that tests run through an application context.
 */
public final class Flows {

	private Flows() {
	}

	/**
	 * Submit a job through {@code c2mWebClient} and one through {@code c2mRestClient}:
	 * the whole token flow, twice.
	 * @param context the application context
	 */
	public static void submitThroughBothClients(ApplicationContext context) {
		context.getBean("c2mWebClient", WebClient.class)
			.post()
			.uri("/jobs/single-doc")
			.bodyValue(Map.of("document_ref", "doc"))
			.retrieve()
			.toBodilessEntity()
			.block();
		context.getBean("c2mRestClient", RestClient.class)
			.post()
			.uri("/jobs/single-doc")
			.body(Map.of("document_ref", "doc"))
			.retrieve()
			.toBodilessEntity();
	}

}
