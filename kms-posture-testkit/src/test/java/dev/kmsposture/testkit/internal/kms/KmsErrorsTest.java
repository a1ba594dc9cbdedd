package dev.kmsposture.testkit.internal.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.testkit.internal.kms.crypto.KmsCryptoException;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import org.junit.jupiter.api.Test;

class KmsErrorsTest {
  @Test
  void incorrectKey_fromTheEngineAndFromTheCryptoPackage_isAwssOneRecordedMessage() {
    AwsServiceError engine = KmsErrors.incorrectKey();
    KmsCryptoException crypto = KmsCryptoException.incorrectKey("blob names another key");

    assertThat(engine.code()).isEqualTo("IncorrectKeyException").isEqualTo(crypto.code());
    assertThat(engine.getMessage())
        .isEqualTo(
            "The key ID in the request does not identify a CMK that can perform this operation.")
        .isEqualTo(crypto.awsMessage());
  }
}
