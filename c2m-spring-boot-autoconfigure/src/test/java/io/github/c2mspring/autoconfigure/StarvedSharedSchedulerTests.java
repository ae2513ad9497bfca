package io.github.c2mspring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.c2mspring.auth.C2MAuthOperations;
import io.github.c2mspring.emulator.C2MEmulator;
import io.github.c2mspring.emulator.TokenKind;
import io.github.c2mspring.testsupport.BlockHoundInstalled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cold callers that occupy every thread of Reactor's shared {@code boundedElastic}
 * scheduler (as a blocking call wrapped in
 * {@code subscribeOn(Schedulers.boundedElastic())} does) all get a token: the starter
 * never needs a thread of that pool, with the in-memory store and with a JDBC store
 * alike.
 */
@BlockHoundInstalled
class StarvedSharedSchedulerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, DataSourceAutoConfiguration.class,
				C2MAutoConfiguration.class))
		.withPropertyValues("c2m.client-id=client-1", "c2m.auth.client-secret=secret-1");

	private C2MEmulator emulator;

	@BeforeEach
	void start() {
		this.emulator = C2MEmulator.start();
		this.emulator.clients().register("client-1").secret("secret-1").allowedScopes("jobs:submit");
	}

	@AfterEach
	void stop() {
		this.emulator.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "jdbc" })
	void coldCallersHoldingEveryBoundedElasticThreadAllGetOneToken(String store) {
		this.runner
			.withPropertyValues("c2m.base-url=" + this.emulator.baseUrl(), "c2m.auth.store.type=" + store,
					"spring.datasource.url=jdbc:h2:mem:starved-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"c2m.auth.store.initialize-schema=true", "c2m.auth.store.allow-plaintext=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				C2MAuthOperations operations = context.getBean(C2MAuthOperations.class);
				int callers = Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE;
				CountDownLatch everyThreadTaken = new CountDownLatch(callers);
				List<CompletableFuture<String>> tokens = new ArrayList<>();
				List<Disposable> subscriptions = new ArrayList<>();
				for (int i = 0; i < callers; i++) {
					CompletableFuture<String> token = new CompletableFuture<>();
					tokens.add(token);
					subscriptions.add(Mono.fromCallable(() -> {
						// nobody asks before every thread of the shared pool is held by a
						// caller
						everyThreadTaken.countDown();
						everyThreadTaken.await(30, TimeUnit.SECONDS);
						return operations.getAccessToken();
					})
						.subscribeOn(Schedulers.boundedElastic())
						.subscribe(token::complete, token::completeExceptionally));
				}
				try {
					// bounded, so that a deadlock fails the test instead of hanging it
					CompletableFuture.allOf(tokens.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
				}
				finally {
					// frees the pool's threads if they are stuck, for the tests that
					// follow
					subscriptions.forEach(Disposable::dispose);
				}
				assertThat(tokens.stream().map(CompletableFuture::join).distinct()).hasSize(1);
				assertThat(this.emulator.issuedCount(TokenKind.LONG_TERM)).isOne();
			});
	}

}
