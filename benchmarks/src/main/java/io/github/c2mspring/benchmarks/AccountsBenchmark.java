package io.github.c2mspring.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.github.c2mspring.autoconfigure.C2MClients;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.IssuedToken;
import io.github.c2mspring.emulator.SubmittedJob;
import io.github.c2mspring.emulator.TokenKind;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;

/**
 * The {@code accounts} scenario: one application with three Click2Mail accounts
 * ({@code c2m.*} and two under {@code c2m.clients}) against one emulator, 12 threads
 * calling for 12 seconds through each account's {@code WebClient}, {@code RestClient} and
 * the shared {@code OAuth2AuthorizedClientManager} in turn, with 4-second short-term
 * tokens so that every account refreshes under load. Every job the emulator received is
 * matched with the account whose token it carried, and every authorized client's token
 * with the account it was issued to: {@code wrong_account_calls} counts those that do not
 * match.
 */
final class AccountsBenchmark {

	private static final Map<String, String> CLIENT_IDS = new LinkedHashMap<>();

	static {
		CLIENT_IDS.put("default", "accounts-default");
		CLIENT_IDS.put("billing", "accounts-billing");
		CLIENT_IDS.put("marketing", "accounts-marketing");
	}

	private static final int THREADS = 12;

	private static final Duration RUN = Duration.ofSeconds(12);

	private AccountsBenchmark() {
	}

	static void run() throws Exception {
		try (C2MEmulator emulator = C2MEmulator.builder().start()) {
			emulator.setShortTermTtl(Duration.ofSeconds(4));
			CLIENT_IDS.forEach((name, clientId) -> emulator.clients()
				.register(clientId)
				.secret(name + "-secret")
				.allowedScopes("jobs:submit"));
			try (ConfigurableApplicationContext context = start(emulator)) {
				C2MClients clients = context.getBean(C2MClients.class);
				OAuth2AuthorizedClientManager manager = context.getBean("c2mAuthorizedClientManager",
						OAuth2AuthorizedClientManager.class);
				Map<String, String> authorizedTokens = new ConcurrentHashMap<>();
				AtomicLong calls = new AtomicLong();
				AtomicLong failed = new AtomicLong();
				long end = System.nanoTime() + RUN.toNanos();
				ExecutorService pool = Executors.newFixedThreadPool(THREADS);
				try {
					List<Future<?>> workers = new ArrayList<>();
					for (int t = 0; t < THREADS; t++) {
						int thread = t;
						workers.add(pool.submit(() -> {
							int i = thread * 1_000_000;
							while (System.nanoTime() < end) {
								String name = clients.getNames().get(i % CLIENT_IDS.size());
								try {
									call(clients, manager, name, i, authorizedTokens);
								}
								catch (RuntimeException ex) {
									failed.incrementAndGet();
								}
								calls.incrementAndGet();
								i++;
							}
						}));
					}
					for (Future<?> worker : workers) {
						worker.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
					}
				}
				finally {
					pool.shutdownNow();
				}
				Map<String, IssuedToken> issued = emulator.issuedTokens()
					.stream()
					.collect(Collectors.toMap(IssuedToken::id, (token) -> token));
				Map<String, String> clientOfValue = emulator.issuedTokens()
					.stream()
					.collect(Collectors.toMap(IssuedToken::value, IssuedToken::clientId, (a, b) -> a));
				long wrong = 0;
				for (SubmittedJob job : emulator.submittedJobs()) {
					String account = job.body().replaceAll(".*\"document_ref\":\"([a-z]+)-.*", "$1");
					IssuedToken token = issued.get(job.tokenId());
					if (token == null || !token.clientId().equals(CLIENT_IDS.get(account))) {
						wrong++;
					}
				}
				for (Map.Entry<String, String> authorized : authorizedTokens.entrySet()) {
					String account = authorized.getKey().substring(0, authorized.getKey().indexOf('-'));
					if (!Objects.equals(CLIENT_IDS.get(account), clientOfValue.get(authorized.getValue()))) {
						wrong++;
					}
				}
				Map<String, Long> exchanges = count(emulator, TokenKind.SHORT_TERM);
				Map<String, Long> issuances = count(emulator, TokenKind.LONG_TERM);
				System.out.printf(Locale.ROOT,
						"RESULT scenario=accounts accounts=%d threads=%d seconds=%d calls=%d jobs=%d authorizations=%d "
								+ "wrong_account_calls=%d failed_calls=%d long_term_issuances=%s exchanges=%s%n",
						CLIENT_IDS.size(), THREADS, RUN.toSeconds(), calls.get(), emulator.submittedJobs().size(),
						authorizedTokens.size(), wrong, failed.get(), perAccount(issuances), perAccount(exchanges));
			}
		}
	}

	private static void call(C2MClients clients, OAuth2AuthorizedClientManager manager, String name, int i,
			Map<String, String> authorizedTokens) {
		Map<String, String> job = Map.of("document_ref", name + "-" + i);
		switch (i % 3) {
			case 0 -> clients.getWebClient(name)
				.post()
				.uri("/jobs/single-doc")
				.bodyValue(job)
				.retrieve()
				.toBodilessEntity()
				.block(Duration.ofSeconds(30));
			case 1 ->
				clients.getRestClient(name).post().uri("/jobs/single-doc").body(job).retrieve().toBodilessEntity();
			default -> {
				OAuth2AuthorizedClient authorized = manager
					.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(clients.getRegistrationId(name))
						.principal(new AnonymousAuthenticationToken("accounts", "benchmark",
								AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")))
						.build());
				if (authorized == null) {
					throw new IllegalStateException("no authorized client for " + name);
				}
				authorizedTokens.put(name + "-" + i, authorized.getAccessToken().getTokenValue());
			}
		}
	}

	private static Map<String, Long> count(C2MEmulator emulator, TokenKind kind) {
		return emulator.issuedTokens()
			.stream()
			.filter((token) -> token.kind() == kind)
			.collect(Collectors.groupingBy(IssuedToken::clientId, Collectors.counting()));
	}

	private static String perAccount(Map<String, Long> byClientId) {
		List<String> parts = new ArrayList<>();
		CLIENT_IDS.forEach((name, clientId) -> parts.add(name + ":" + byClientId.getOrDefault(clientId, 0L)));
		return String.join(",", parts);
	}

	private static ConfigurableApplicationContext start(C2MEmulator emulator) {
		SpringApplication application = new SpringApplication(AccountsApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "warn");
		properties.put("c2m.base-url", emulator.baseUrl());
		properties.put("c2m.auth.short-term.scopes", "jobs:submit");
		properties.put("c2m.client-id", CLIENT_IDS.get("default"));
		properties.put("c2m.auth.client-secret", "default-secret");
		CLIENT_IDS.forEach((name, clientId) -> {
			if (!name.equals("default")) {
				properties.put("c2m.clients." + name + ".client-id", clientId);
				properties.put("c2m.clients." + name + ".auth.client-secret", name + "-secret");
			}
		});
		application.setDefaultProperties(properties);
		return application.run();
	}

	/**
	 * A Boot application with nothing of its own: only auto-configuration.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class AccountsApplication {

	}

}
