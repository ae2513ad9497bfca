package io.github.c2mspring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.util.StreamUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter ships {@code META-INF/spring-autoconfigure-metadata.properties}, as Boot's
 * own modules do, so that Boot filters its auto-configurations by their class conditions
 * and orders them without loading their classes: an entry for each auto-configuration the
 * imports file lists, with its conditions and ordering.
 */
class AutoConfigurationMetadataTests {

	@Test
	void everyAutoConfigurationHasItsConditionsAndOrderInTheMetadata() throws IOException {
		List<String> imports = StreamUtils
			.copyToString(new ClassPathResource(
					"META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")
				.getInputStream(), StandardCharsets.UTF_8)
			.lines()
			.map(String::trim)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		Properties metadata = new Properties();
		try (InputStream in = new ClassPathResource("META-INF/spring-autoconfigure-metadata.properties")
			.getInputStream()) {
			metadata.load(in);
		}
		assertThat(imports).isNotEmpty().allSatisfy((name) -> assertThat(metadata).containsKey(name));
		assertThat(metadata.getProperty(C2MAutoConfiguration.class.getName() + ".ConditionalOnClass"))
			.contains("org.springframework.web.reactive.function.client.WebClient");
		assertThat(metadata.getProperty(C2MAutoConfiguration.class.getName() + ".AutoConfigureAfter"))
			.contains("DataSourceAutoConfiguration", "DataRedisAutoConfiguration");
		assertThat(metadata.getProperty(C2MOAuth2ClientAutoConfiguration.class.getName() + ".ConditionalOnClass"))
			.contains("org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager");
	}

}
