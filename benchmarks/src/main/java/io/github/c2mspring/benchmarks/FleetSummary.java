package io.github.c2mspring.benchmarks;

import java.time.Duration;
import java.util.List;

import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.Endpoint;
import io.github.c2mspring.emulator.IssuedToken;
import io.github.c2mspring.emulator.RecordedRequest;
import io.github.c2mspring.emulator.TokenKind;

/**
 * What the server saw of one client's long-term tokens in the {@code fleet} scenario.
 */
record FleetSummary(long issuances, long rotations, long revokedAfterGrace, Duration minRevokeDelay) {

	static FleetSummary of(C2MEmulator emulator, String clientId) {
		List<IssuedToken> tokens = emulator.issuedTokens()
			.stream()
			.filter((token) -> token.kind() == TokenKind.LONG_TERM && token.clientId().equals(clientId))
			.toList();
		List<RecordedRequest> revocations = emulator.requests()
			.stream()
			.filter((request) -> request.endpoint() == Endpoint.REVOKE && request.status() == 204)
			.toList();
		long revoked = 0;
		Duration minDelay = null;
		for (IssuedToken replacement : tokens) {
			if (!"rotation".equals(replacement.mechanism())) {
				continue;
			}
			for (RecordedRequest revocation : revocations) {
				if (revocation.path().contains(replacement.parentId())) {
					revoked++;
					Duration delay = Duration.between(replacement.issuedAt(), revocation.receivedAt());
					minDelay = (minDelay == null || delay.compareTo(minDelay) < 0) ? delay : minDelay;
				}
			}
		}
		return new FleetSummary(tokens.stream().filter((token) -> !"rotation".equals(token.mechanism())).count(),
				tokens.stream().filter((token) -> "rotation".equals(token.mechanism())).count(), revoked,
				(minDelay != null) ? minDelay : Duration.ZERO);
	}

}
