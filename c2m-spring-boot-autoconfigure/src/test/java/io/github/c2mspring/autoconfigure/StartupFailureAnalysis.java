package io.github.c2mspring.autoconfigure;

import java.util.List;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * The analysis a real startup prints: every registered {@link FailureAnalyzer} (Spring
 * Boot's and ours), in order, given the application's environment; the first that answers
 * wins.
 */
public final class StartupFailureAnalysis {

	private StartupFailureAnalysis() {
	}

	/**
	 * Analyze a startup failure as Spring Boot does.
	 * @param failure the failure
	 * @param environment the application's environment
	 * @return the analysis, or {@code null} when no analyzer answers
	 */
	public static FailureAnalysis analyze(Throwable failure, Environment environment) {
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.of(Environment.class, environment),
					SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
						// analyzers that need a bean factory: none of those about
						// properties
					}));
		AnnotationAwareOrderComparator.sort(analyzers);
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		return null;
	}

}
