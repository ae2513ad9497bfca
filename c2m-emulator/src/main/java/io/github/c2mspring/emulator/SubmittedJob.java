package io.github.c2mspring.emulator;

/**
 * A job submitted to the protected endpoint.
 *
 * @param jobId the job id the emulator answered with
 * @param tokenId the id of the short-term token that authorized it
 * @param body the request body
 */
public record SubmittedJob(String jobId, String tokenId, String body) {
}
