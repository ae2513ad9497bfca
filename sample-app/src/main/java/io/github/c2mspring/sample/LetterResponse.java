package io.github.c2mspring.sample;

import org.jspecify.annotations.Nullable;

/**
 * The submitted job.
 *
 * @param jobId the Click2Mail job id
 * @param status the job's status, or {@code null} when Click2Mail sent none
 */
public record LetterResponse(String jobId, @Nullable String status) {
}
