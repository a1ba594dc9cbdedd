package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

class InProcessTransportTest {
  @Test
  void unsupportedOperation_reachesTheSdkAsA4xxKmsException() {
    // given
    LocalKms kms = LocalKms.builder().requestIds(() -> "req-1").build();

    // when
    KmsException error;
    try (KmsClient client = kms.kmsClient(Region.EU_WEST_1)) {
      error =
          catchThrowableOfType(
              KmsException.class,
              // Encapsulate (ML-KEM) is not emulated
              () -> client.encapsulate(b -> b.keyId("1234abcd-12ab-34cd-56ef-1234567890ab")));
    }

    // then
    assertThat(error.statusCode()).isEqualTo(400);
    assertThat(error.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
    assertThat(error.requestId()).isEqualTo("req-1");
    assertThat(error.getMessage()).contains("Encapsulate");
  }
}
