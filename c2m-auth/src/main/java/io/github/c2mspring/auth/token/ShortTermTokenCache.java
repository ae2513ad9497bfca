package io.github.c2mspring.auth.token;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.c2mspring.auth.ShortTermToken;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The short-term tokens of one {@link C2MTokenManager}, one {@link Refresher} per scope
 * set. The default scope set's refresher is a field, so the commonest call finds it
 * without building a key or looking one up. The others live in a map bounded to
 * {@value #DEFAULT_CAPACITY} scope sets by default: asking for one more drops the scope
 * set added first; its token is forgotten (not revoked: it expires on its own) and a
 * caller waiting for its request still gets the answer. An application that uses more
 * scope sets than the bound pays an exchange each time one comes back.
 */
final class ShortTermTokenCache {

	/** The default number of scope sets, besides the default one, held at most. */
	static final int DEFAULT_CAPACITY = 64;

	private final Set<String> defaultScopes;

	private final Refresher<ShortTermToken> defaultRefresher;

	private final Function<Set<String>, Refresher<ShortTermToken>> factory;

	private final int capacity;

	private final Map<Set<String>, Refresher<ShortTermToken>> others = new ConcurrentHashMap<>();

	/** The keys of {@link #others} in the order they were added; guarded by itself. */
	private final ArrayDeque<Set<String>> order = new ArrayDeque<>();

	/**
	 * Create a cache.
	 * @param defaultScopes the normalized default scopes
	 * @param factory the refresher of a normalized scope set
	 * @param capacity how many scope sets besides the default one are held at most
	 */
	ShortTermTokenCache(Set<String> defaultScopes, Function<Set<String>, Refresher<ShortTermToken>> factory,
			int capacity) {
		Assert.isTrue(capacity > 0, "capacity must be positive");
		this.defaultScopes = defaultScopes;
		this.factory = factory;
		this.capacity = capacity;
		this.defaultRefresher = factory.apply(defaultScopes);
	}

	Set<String> defaultScopes() {
		return this.defaultScopes;
	}

	/**
	 * The refresher of a scope set, created if there is none.
	 * @param scopes the scopes (empty or the default scopes for the default refresher)
	 * @return the refresher
	 */
	Refresher<ShortTermToken> refresher(Collection<String> scopes) {
		if (scopes == this.defaultScopes || scopes.isEmpty()) {
			return this.defaultRefresher;
		}
		if (scopes instanceof Set<?>) {
			Refresher<ShortTermToken> existing = this.others.get(scopes);
			if (existing != null) {
				return existing;
			}
		}
		Set<String> key = normalize(scopes);
		if (key.equals(this.defaultScopes)) {
			return this.defaultRefresher;
		}
		Refresher<ShortTermToken> existing = this.others.get(key);
		return (existing != null) ? existing : add(key);
	}

	private Refresher<ShortTermToken> add(Set<String> key) {
		synchronized (this.order) {
			Refresher<ShortTermToken> existing = this.others.get(key);
			if (existing != null) {
				return existing;
			}
			while (this.order.size() >= this.capacity) {
				this.others.remove(this.order.removeFirst());
			}
			Refresher<ShortTermToken> created = this.factory.apply(key);
			this.others.put(key, created);
			this.order.addLast(key);
			return created;
		}
	}

	/**
	 * The refresher of a scope set, if there is one.
	 * @param scopes the scopes (empty for the default scopes)
	 * @return the refresher, or {@code null}
	 */
	@Nullable Refresher<ShortTermToken> find(Collection<String> scopes) {
		Set<String> key = scopes.isEmpty() ? this.defaultScopes : normalize(scopes);
		return key.equals(this.defaultScopes) ? this.defaultRefresher : this.others.get(key);
	}

	/**
	 * Every refresher with its scope set, the default one first.
	 * @return the refreshers
	 */
	List<Map.Entry<Set<String>, Refresher<ShortTermToken>>> entries() {
		List<Map.Entry<Set<String>, Refresher<ShortTermToken>>> entries = new ArrayList<>(this.others.size() + 1);
		entries.add(Map.entry(this.defaultScopes, this.defaultRefresher));
		entries.addAll(this.others.entrySet());
		return entries;
	}

	/**
	 * Whether no request is in flight for any scope set.
	 * @return whether idle
	 */
	boolean isIdle() {
		return this.defaultRefresher.isIdle() && this.others.values().stream().allMatch(Refresher::isIdle);
	}

	/**
	 * A scope set as a key: trimmed, sorted, immutable.
	 * @param scopes the scopes
	 * @return the key
	 */
	static Set<String> normalize(Collection<String> scopes) {
		TreeSet<String> sorted = new TreeSet<>();
		for (String scope : scopes) {
			Assert.hasText(scope, "a scope must not be empty");
			sorted.add(scope.trim());
		}
		return Set.copyOf(sorted);
	}

}
