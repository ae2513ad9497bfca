package io.github.c2mspring.auth.token;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one {@link C2MTokenManager}: contention-free adders, summed into a
 * {@link C2MTokenDiagnostics.Statistics} on demand.
 */
final class TokenStatistics {

	final LongAdder cacheHits = new LongAdder();

	final LongAdder cacheMisses = new LongAdder();

	final LongAdder exchanges = new LongAdder();

	final LongAdder exchangeFailures = new LongAdder();

	final LongAdder issuances = new LongAdder();

	final LongAdder issuanceFailures = new LongAdder();

	final LongAdder adoptions = new LongAdder();

	final LongAdder backgroundRefreshes = new LongAdder();

	final LongAdder rotations = new LongAdder();

	final LongAdder rotationFailures = new LongAdder();

	final LongAdder rejectedDuringBackoff = new LongAdder();

	/**
	 * The counters as of now.
	 * @return the statistics
	 */
	C2MTokenDiagnostics.Statistics snapshot() {
		return new C2MTokenDiagnostics.Statistics(this.cacheHits.sum(), this.cacheMisses.sum(), this.exchanges.sum(),
				this.exchangeFailures.sum(), this.issuances.sum(), this.issuanceFailures.sum(), this.adoptions.sum(),
				this.backgroundRefreshes.sum(), this.rotations.sum(), this.rotationFailures.sum(),
				this.rejectedDuringBackoff.sum());
	}

}
