package io.github.c2mspring.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Submits letters as single-document jobs through the starter's {@code c2mWebClient},
 * which adds a valid short-term token to every request.
 */
@Service
public class LetterService {

	private static final Logger logger = LoggerFactory.getLogger(LetterService.class);

	private final WebClient c2m;

	public LetterService(@Qualifier("c2mWebClient") WebClient c2m) {
		this.c2m = c2m;
	}

	/**
	 * Submit a letter.
	 * @param letter the letter
	 * @return the job
	 */
	public LetterResponse send(LetterRequest letter) {
		Map<String, Object> job = new LinkedHashMap<>();
		job.put("document_ref", letter.documentRef());
		job.put("recipient", letter.recipient());
		JobResponse response = this.c2m.post()
			.uri("/jobs/single-doc")
			.bodyValue(job)
			.retrieve()
			.bodyToMono(JobResponse.class)
			.block();
		if (response == null || response.jobId() == null) {
			throw new IllegalStateException("Click2Mail answered without a job id");
		}
		logger.info("Submitted letter {} as job {}", letter.documentRef(), response.jobId());
		return new LetterResponse(response.jobId(), response.status());
	}

	record JobResponse(@JsonProperty("job_id") @Nullable String jobId,
			@JsonProperty("status") @Nullable String status) {
	}

}
