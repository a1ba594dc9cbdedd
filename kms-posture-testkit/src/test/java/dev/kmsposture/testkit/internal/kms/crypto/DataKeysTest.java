package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DataKeysTest {
  private static final String KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/k";

  private final KeyMaterial material = TestKeys.of(KeySpec.SYMMETRIC_DEFAULT);

  @Test
  void length_fromKeySpecOrNumberOfBytes() {
    assertThat(DataKeys.length(Optional.of(DataKeySpec.AES_256), OptionalInt.empty()))
        .isEqualTo(32);
    assertThat(DataKeys.length(Optional.of(DataKeySpec.AES_128), OptionalInt.empty()))
        .isEqualTo(16);
    assertThat(DataKeys.length(Optional.empty(), OptionalInt.of(1024))).isEqualTo(1024);
  }

  @Test
  void length_bothOrNeither_isAwsValidationError() {
    String message = "Please specify either number of bytes or key spec.";
    assertThatThrownBy(() -> DataKeys.length(Optional.empty(), OptionalInt.empty()))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ValidationException");
              assertThat(e.awsMessage()).isEqualTo(message);
            });
    assertThatThrownBy(() -> DataKeys.length(Optional.of(DataKeySpec.AES_256), OptionalInt.of(32)))
        .hasMessage(message);
  }

  @Test
  void length_numberOfBytesOutOfRange_isAwsValidationError() {
    assertThatThrownBy(() -> DataKeys.length(Optional.empty(), OptionalInt.of(1025)))
        .hasMessage(
            "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy"
                + " constraint: Member must have value less than or equal to 1024");
    assertThatThrownBy(() -> DataKeys.length(Optional.empty(), OptionalInt.of(0)))
        .hasMessage(
            "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy"
                + " constraint: Member must have value greater than or equal to 1");
  }

  @Test
  void generateRandom_givesTheBytesAskedFor() {
    assertThat(DataKeys.generateRandom(1)).hasSize(1);
    assertThat(DataKeys.generateRandom(1024)).hasSize(1024);
    assertThat(DataKeys.generateRandom(32)).isNotEqualTo(DataKeys.generateRandom(32));
    assertThatThrownBy(() -> DataKeys.generateRandom(1025))
        .isInstanceOfSatisfying(
            KmsCryptoException.class, e -> assertThat(e.code()).isEqualTo("ValidationException"));
  }

  @Test
  void generate_ciphertextDecryptsToThePlaintextKey() {
    // given
    EncryptionContext context = EncryptionContext.of(Map.of("bucket", "b"));

    // when
    DataKeys.DataKey dataKey = DataKeys.generate(material, KEY_ARN, 32, context);

    // then
    assertThat(dataKey.plaintext()).hasSize(32);
    CiphertextBlob blob = CiphertextBlob.parse(dataKey.ciphertextBlob());
    assertThat(blob.keyId()).isEqualTo(KEY_ARN);
    assertThat(SymmetricEnvelope.decrypt(blob, material, context)).isEqualTo(dataKey.plaintext());
    assertThat(dataKey.toString())
        .isEqualTo(
            "DataKey[32 bytes, plaintext=<redacted>, ciphertextBlob=%d bytes]",
            dataKey.ciphertextBlob().length);
    TestKeys.assertDoesNotReveal(dataKey.toString(), dataKey.plaintext());
  }

  @Test
  void generateWithoutPlaintext_decryptsToAKeyOfTheLength() {
    byte[] blob =
        DataKeys.generateWithoutPlaintext(material, KEY_ARN, 64, EncryptionContext.empty());

    assertThat(
            SymmetricEnvelope.decrypt(
                CiphertextBlob.parse(blob), material, EncryptionContext.empty()))
        .hasSize(64);
  }
}
