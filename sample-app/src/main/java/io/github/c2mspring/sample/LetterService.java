package io.github.c2mspring.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Submits letters as single-document jobs through {@link JobsClient}, an HTTP interface
 * in the group {@code c2m}, which the starter gives a valid short-term token on every
 * request.
 */
@Service
public class LetterService {

	private static final Logger logger = LoggerFactory.getLogger(LetterService.class);

	private final JobsClient jobs;

	public LetterService(JobsClient jobs) {
		this.jobs = jobs;
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
		JobsClient.Job response = this.jobs.submit(job);
		if (response == null || response.jobId() == null) {
			throw new IllegalStateException("Click2Mail answered without a job id");
		}
		logger.info("Submitted letter {} as job {}", letter.documentRef(), response.jobId());
		return new LetterResponse(response.jobId(), response.status());
	}

}
