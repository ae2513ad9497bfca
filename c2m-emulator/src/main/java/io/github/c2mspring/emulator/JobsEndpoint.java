package io.github.c2mspring.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code POST /v2/jobs/single-doc}: the protected API endpoint, which needs a valid
 * short-term token with {@code jobs:submit} and a JSON body (or none), and records what
 * was submitted.
 */
final class JobsEndpoint implements Route {

	private final TokenAuthority authority;

	private final Ids ids;

	private final List<SubmittedJob> jobs = new CopyOnWriteArrayList<>();

	JobsEndpoint(TokenAuthority authority, Ids ids) {
		this.authority = authority;
		this.ids = ids;
	}

	@Override
	public Answer answer(Request http) {
		Token token = this.authority.valid(http.bearer());
		if (token == null || token.kind != TokenKind.SHORT_TERM) {
			return Answer.unauthorized("invalid_token", "The provided token is expired or invalid", null);
		}
		if (!TokenAuthority.covers(token.scopes, List.of("jobs:submit"))) {
			return Answer.error(403, "insufficient_scope", "The token lacks the required scope for this operation")
				.withHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"jobs:submit\"");
		}
		if (!http.body().isBlank() && Json.read(http.body()) == null) {
			return Answer.error(400, "invalid_request", "The request body must be JSON");
		}
		String jobId = this.ids.next("job_", 6);
		this.jobs.add(new SubmittedJob(jobId, token.id, http.body()));
		Map<String, Object> job = new LinkedHashMap<>();
		job.put("job_id", jobId);
		job.put("status", "submitted");
		return Answer.json(201, job);
	}

	List<SubmittedJob> submittedJobs() {
		return List.copyOf(this.jobs);
	}

	void clear() {
		this.jobs.clear();
	}

}
