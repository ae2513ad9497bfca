package io.github.c2mspring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link C2MConfigurationException} at startup: the description names the
 * property and what is wrong with it, the action says how to fix it.
 */
class C2MConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<C2MConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, C2MConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
