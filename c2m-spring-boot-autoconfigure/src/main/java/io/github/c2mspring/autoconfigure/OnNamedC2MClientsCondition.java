package io.github.c2mspring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code c2m.clients} names at least one account; {@link Absent} when it
 * names none.
 */
class OnNamedC2MClientsCondition extends SpringBootCondition {

	private static final ConfigurationPropertyName CLIENTS = ConfigurationPropertyName.of("c2m.clients");

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
			if (source.containsDescendantOf(CLIENTS) == ConfigurationPropertyState.PRESENT) {
				return ConditionOutcome.match("c2m.clients names Click2Mail accounts");
			}
		}
		return ConditionOutcome.noMatch("c2m.clients names no Click2Mail account");
	}

	/**
	 * Matches when {@code c2m.clients} names no account.
	 */
	static final class Absent extends SpringBootCondition {

		private final OnNamedC2MClientsCondition present = new OnNamedC2MClientsCondition();

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionOutcome outcome = this.present.getMatchOutcome(context, metadata);
			return new ConditionOutcome(!outcome.isMatch(), outcome.getConditionMessage());
		}

	}

}
