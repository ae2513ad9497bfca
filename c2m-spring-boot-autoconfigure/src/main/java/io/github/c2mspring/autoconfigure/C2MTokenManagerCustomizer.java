package io.github.c2mspring.autoconfigure;

import io.github.c2mspring.auth.token.C2MTokenManager;
import io.github.c2mspring.auth.token.C2MTokenManagerBuilder;

/**
 * Callback to customize the auto-configured {@link C2MTokenManagerBuilder} before a
 * {@link C2MTokenManager} is built from it: the starter's own manager and any manager an
 * application builds from the injected builder. Customizers are applied in their
 * {@link org.springframework.core.Ordered order}, after the builder was filled from the
 * {@code c2m.*} properties.
 */
@FunctionalInterface
public interface C2MTokenManagerCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder
	 */
	void customize(C2MTokenManagerBuilder builder);

}
