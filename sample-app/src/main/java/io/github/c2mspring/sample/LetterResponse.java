package io.github.c2mspring.sample;

/**
 * The submitted job.
 *
 * @param jobId the Click2Mail job id
 * @param status the job's status
 */
public record LetterResponse(String jobId, String status) {
}
