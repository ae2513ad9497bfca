package io.github.c2mspring.sample;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * The Click2Mail jobs API as an HTTP interface. Registered in the HTTP service group
 * {@code c2m} ({@link SampleApplication}), so the starter gives it the base URL and a
 * valid short-term token on every request, and retries once after a 401.
 */
@HttpExchange("/jobs")
public interface JobsClient {

	/**
	 * Submit a single-document job.
	 * @param job the job: {@code document_ref}, {@code recipient}
	 * @return the submitted job
	 */
	@PostExchange("/single-doc")
	Job submit(@RequestBody Map<String, Object> job);

	/**
	 * A submitted job.
	 *
	 * @param jobId its id
	 * @param status its status
	 */
	record Job(@JsonProperty("job_id") @Nullable String jobId, @JsonProperty("status") @Nullable String status) {
	}

}
