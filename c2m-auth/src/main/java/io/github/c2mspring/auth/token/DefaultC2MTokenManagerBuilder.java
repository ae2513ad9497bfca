package io.github.c2mspring.auth.token;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import io.github.c2mspring.auth.client.C2MAuthClient;
import io.github.c2mspring.auth.store.InMemoryLongTermTokenStore;
import io.github.c2mspring.auth.store.LongTermTokenStore;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The {@link C2MTokenManagerBuilder}: collects the options, checks each as it is given,
 * and hands them to a new manager on {@link #build()}.
 */
final class DefaultC2MTokenManagerBuilder implements C2MTokenManagerBuilder {

	final C2MAuthClient client;

	final LongTermTokenSource longTermTokenSource;

	Collection<String> defaultScopes = List.of();

	@Nullable Clock clock;

	TokenPolicy policy = TokenPolicy.defaults();

	@Nullable RefreshPolicy refreshPolicy;

	@Nullable TokenExecution execution;

	@Nullable LongTermTokenStore store;

	String name = C2MTokenManager.DEFAULT_NAME;

	String storeKey = "default";

	Duration lease = C2MTokenManager.DEFAULT_LEASE;

	Duration checkInterval = C2MTokenManager.DEFAULT_CHECK_INTERVAL;

	LongTermRotation.@Nullable Settings rotation;

	final List<Consumer<C2MTokenEvent>> eventListeners = new ArrayList<>();

	DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

	int maxScopeSets = ShortTermTokenCache.DEFAULT_CAPACITY;

	DefaultC2MTokenManagerBuilder(C2MAuthClient client, LongTermTokenSource longTermTokenSource) {
		Assert.notNull(client, "client must not be null");
		Assert.notNull(longTermTokenSource, "longTermTokenSource must not be null");
		this.client = client;
		this.longTermTokenSource = longTermTokenSource;
	}

	@Override
	public C2MTokenManagerBuilder name(String name) {
		Assert.hasText(name, "name must not be empty");
		this.name = name;
		return this;
	}

	@Override
	public C2MTokenManagerBuilder defaultScopes(Collection<String> scopes) {
		Assert.notNull(scopes, "defaultScopes must not be null");
		ShortTermTokenCache.normalize(scopes);
		this.defaultScopes = List.copyOf(scopes);
		return this;
	}

	@Override
	public C2MTokenManagerBuilder clock(Clock clock) {
		Assert.notNull(clock, "clock must not be null");
		this.clock = clock;
		return this;
	}

	@Override
	public C2MTokenManagerBuilder policy(TokenPolicy policy) {
		Assert.notNull(policy, "policy must not be null");
		this.policy = policy;
		return this;
	}

	@Override
	public C2MTokenManagerBuilder refreshPolicy(RefreshPolicy refreshPolicy) {
		Assert.notNull(refreshPolicy, "refreshPolicy must not be null");
		this.refreshPolicy = refreshPolicy;
		return this;
	}

	@Override
	public C2MTokenManagerBuilder execution(TokenExecution execution) {
		Assert.notNull(execution, "execution must not be null");
		this.execution = execution;
		return this;
	}

	@Override
	public C2MTokenManagerBuilder longTermTokenStore(LongTermTokenStore store, String key, Duration lease,
			Duration checkInterval) {
		Assert.notNull(store, "store must not be null");
		Assert.hasText(key, "key must not be empty");
		Assert.isTrue(isPositive(lease), "lease must be positive");
		Assert.isTrue(isPositive(checkInterval), "checkInterval must be positive");
		this.store = store;
		this.storeKey = key;
		this.lease = lease;
		this.checkInterval = checkInterval;
		return this;
	}

	@Override
	public C2MTokenManagerBuilder rotation(String clientId, Collection<String> scopes, @Nullable Duration ttl) {
		Assert.notNull(scopes, "scopes must not be null");
		this.rotation = new LongTermRotation.Settings(clientId, List.copyOf(scopes), ttl);
		return this;
	}

	@Override
	public C2MTokenManagerBuilder eventListener(Consumer<C2MTokenEvent> listener) {
		Assert.notNull(listener, "listener must not be null");
		this.eventListeners.add(listener);
		return this;
	}

	@Override
	public C2MTokenManagerBuilder random(DoubleSupplier random) {
		Assert.notNull(random, "random must not be null");
		this.random = random;
		return this;
	}

	@Override
	public C2MTokenManagerBuilder apply(Consumer<C2MTokenManagerBuilder> change) {
		Assert.notNull(change, "change must not be null");
		change.accept(this);
		return this;
	}

	/**
	 * How many scope sets besides the default one the manager holds tokens for.
	 * @param maxScopeSets the bound
	 * @return this builder
	 */
	DefaultC2MTokenManagerBuilder maxScopeSets(int maxScopeSets) {
		Assert.isTrue(maxScopeSets > 0, "maxScopeSets must be positive");
		this.maxScopeSets = maxScopeSets;
		return this;
	}

	@Override
	public C2MTokenManager build() {
		return new C2MTokenManager(this);
	}

	Clock clockOrDefault() {
		return (this.clock != null) ? this.clock : new MonotonicClock();
	}

	TokenExecution executionOrDefault() {
		return (this.execution != null) ? this.execution : TokenExecution.defaults();
	}

	LongTermMaintainer.StoreSettings storeSettings() {
		LongTermTokenStore tokenStore = (this.store != null) ? this.store : new InMemoryLongTermTokenStore();
		return new LongTermMaintainer.StoreSettings(tokenStore, this.storeKey, this.lease, this.checkInterval);
	}

	private static boolean isPositive(Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

}
