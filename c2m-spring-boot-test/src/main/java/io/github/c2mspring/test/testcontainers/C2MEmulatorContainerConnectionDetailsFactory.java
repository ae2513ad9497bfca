package io.github.c2mspring.test.testcontainers;

import io.github.c2mspring.auth.C2MCredential;
import io.github.c2mspring.autoconfigure.C2MConnectionDetails;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * Creates {@link C2MConnectionDetails} for a {@link C2MEmulatorContainer} annotated with
 * {@code @ServiceConnection}.
 */
class C2MEmulatorContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<C2MEmulatorContainer, C2MConnectionDetails> {

	@Override
	protected C2MConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<C2MEmulatorContainer> source) {
		return new C2MEmulatorContainerConnectionDetails(source);
	}

	/**
	 * {@link C2MConnectionDetails} backed by a running {@link C2MEmulatorContainer}.
	 */
	static final class C2MEmulatorContainerConnectionDetails extends ContainerConnectionDetails<C2MEmulatorContainer>
			implements C2MConnectionDetails {

		C2MEmulatorContainerConnectionDetails(ContainerConnectionSource<C2MEmulatorContainer> source) {
			super(source);
		}

		@Override
		public String getBaseUrl() {
			return getContainer().getBaseUrl();
		}

		@Override
		public String getClientId() {
			return getContainer().getClientId();
		}

		@Override
		public C2MCredential getCredential() {
			return new C2MCredential.ClientSecret(getContainer().getClientSecret());
		}

	}

}
