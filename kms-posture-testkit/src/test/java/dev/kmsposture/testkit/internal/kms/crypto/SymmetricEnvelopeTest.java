package dev.kmsposture.testkit.internal.kms.crypto;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class SymmetricEnvelopeTest {
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final byte[] PLAINTEXT = "a database password".getBytes(StandardCharsets.UTF_8);

  private final KeyMaterial material = KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT);

  @Test
  void encrypt_thenDecrypt_returnsThePlaintext() {
    // given
    EncryptionContext context = EncryptionContext.of(Map.of("purpose", "test", "team", "a"));

    // when
    byte[] blob = SymmetricEnvelope.encrypt(material, KEY_ARN, PLAINTEXT, context);
    CiphertextBlob parsed = CiphertextBlob.parse(blob);

    // then
    assertThat(parsed.keyId()).isEqualTo(KEY_ARN);
    assertThat(parsed.keyMaterialId()).isEqualTo(material.id());
    assertThat(SymmetricEnvelope.decrypt(parsed, material, context)).isEqualTo(PLAINTEXT);
  }

  @Test
  void encrypt_samePlaintextTwice_givesDifferentBlobs() {
    byte[] first =
        SymmetricEnvelope.encrypt(material, KEY_ARN, PLAINTEXT, EncryptionContext.empty());
    byte[] second =
        SymmetricEnvelope.encrypt(material, KEY_ARN, PLAINTEXT, EncryptionContext.empty());

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void decrypt_contextPairsInAnotherOrder_succeeds() {
    // given
    Map<String, String> forward = new LinkedHashMap<>();
    forward.put("a", "1");
    forward.put("b", "2");
    Map<String, String> backward = new LinkedHashMap<>();
    backward.put("b", "2");
    backward.put("a", "1");
    byte[] blob =
        SymmetricEnvelope.encrypt(material, KEY_ARN, PLAINTEXT, EncryptionContext.of(forward));

    // when
    byte[] plaintext =
        SymmetricEnvelope.decrypt(
            CiphertextBlob.parse(blob), material, EncryptionContext.of(backward));

    // then
    assertThat(plaintext).isEqualTo(PLAINTEXT);
  }

  @Test
  void decrypt_otherContext_isInvalidCiphertextWithoutAwsMessage() {
    // given
    byte[] blob =
        SymmetricEnvelope.encrypt(
            material, KEY_ARN, PLAINTEXT, EncryptionContext.of(Map.of("purpose", "test")));

    // when
    KmsCryptoException error =
        catchThrowableOfType(
            KmsCryptoException.class,
            () ->
                SymmetricEnvelope.decrypt(
                    CiphertextBlob.parse(blob),
                    material,
                    EncryptionContext.of(Map.of("purpose", "Test"))));

    // then
    assertThat(error.code()).isEqualTo("InvalidCiphertextException");
    assertThat(error.awsMessage()).isEmpty();
    assertThat(error.getMessage())
        .isEqualTo(
            "ciphertext for key ["
                + KEY_ARN
                + "] does not authenticate: the blob was altered, or the encryption context (1"
                + " pairs given) is not the one it was encrypted with");
    assertThat(error.toAwsServiceError().code()).isEqualTo("InvalidCiphertextException");
    assertThat(error.toAwsServiceError().httpStatus()).isEqualTo(400);
  }

  @Test
  void decrypt_contextMissing_isInvalidCiphertext() {
    byte[] blob =
        SymmetricEnvelope.encrypt(
            material, KEY_ARN, PLAINTEXT, EncryptionContext.of(Map.of("purpose", "test")));

    assertThatThrownBy(
            () ->
                SymmetricEnvelope.decrypt(
                    CiphertextBlob.parse(blob), material, EncryptionContext.empty()))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> assertThat(e.code()).isEqualTo("InvalidCiphertextException"));
  }

  @Test
  void decrypt_everySingleBitFlip_isRefused() {
    // given
    byte[] blob =
        SymmetricEnvelope.encrypt(material, KEY_ARN, PLAINTEXT, EncryptionContext.empty());

    for (int bit = 0; bit < blob.length * 8; bit++) {
      byte[] tampered = blob.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));

      // when, then
      int flipped = bit;
      assertThatThrownBy(() -> decryptAsTheEngineWould(tampered))
          .as("bit %d flipped", flipped)
          .isInstanceOfSatisfying(
              KmsCryptoException.class,
              e ->
                  assertThat(e.code()).isIn("InvalidCiphertextException", "IncorrectKeyException"));
    }
  }

  @Test
  void decrypt_oldMaterialAfterRotation_stillDecrypts() {
    // given
    KeyMaterial before = KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT);
    KeyMaterial after = KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT);
    Map<KeyMaterialId, KeyMaterial> materials = Map.of(before.id(), before, after.id(), after);
    byte[] oldBlob =
        SymmetricEnvelope.encrypt(before, KEY_ARN, PLAINTEXT, EncryptionContext.empty());
    byte[] newBlob =
        SymmetricEnvelope.encrypt(after, KEY_ARN, PLAINTEXT, EncryptionContext.empty());

    // when
    CiphertextBlob oldParsed = CiphertextBlob.parse(oldBlob);
    CiphertextBlob newParsed = CiphertextBlob.parse(newBlob);

    // then
    assertThat(oldParsed.keyMaterialId()).isEqualTo(before.id());
    assertThat(newParsed.keyMaterialId()).isEqualTo(after.id());
    assertThat(
            SymmetricEnvelope.decrypt(
                oldParsed,
                requireNonNull(materials.get(oldParsed.keyMaterialId())),
                EncryptionContext.empty()))
        .isEqualTo(PLAINTEXT);
    assertThat(
            SymmetricEnvelope.decrypt(
                newParsed,
                requireNonNull(materials.get(newParsed.keyMaterialId())),
                EncryptionContext.empty()))
        .isEqualTo(PLAINTEXT);
  }

  @Test
  void decrypt_materialTheBlobDoesNotName_isAnEngineBug() {
    byte[] blob =
        SymmetricEnvelope.encrypt(material, KEY_ARN, PLAINTEXT, EncryptionContext.empty());
    KeyMaterial other = KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT);

    assertThatThrownBy(
            () ->
                SymmetricEnvelope.decrypt(
                    CiphertextBlob.parse(blob), other, EncryptionContext.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key material [%s] did not encrypt this blob; it names material [%s]",
            other.id().value(), material.id().value());
  }

  @Test
  void decrypt_sameIdButOtherSecret_isInvalidCiphertext() {
    byte[] blob =
        SymmetricEnvelope.encrypt(material, KEY_ARN, PLAINTEXT, EncryptionContext.empty());
    KeyMaterial impostor =
        KeyMaterial.restore(
            KeySpec.SYMMETRIC_DEFAULT,
            material.id(),
            KeyMaterialOrigin.AWS_KMS,
            CryptoRandom.bytes(32));

    assertThatThrownBy(
            () ->
                SymmetricEnvelope.decrypt(
                    CiphertextBlob.parse(blob), impostor, EncryptionContext.empty()))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> assertThat(e.code()).isEqualTo("InvalidCiphertextException"));
  }

  @Test
  void encrypt_4096Bytes_isTheLargestPlaintext() {
    byte[] largest = new byte[4096];

    byte[] blob = SymmetricEnvelope.encrypt(material, KEY_ARN, largest, EncryptionContext.empty());

    assertThat(blob.length).isLessThanOrEqualTo(6144);
    assertThatThrownBy(
            () ->
                SymmetricEnvelope.encrypt(
                    material, KEY_ARN, new byte[4097], EncryptionContext.empty()))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ValidationException");
              assertThat(e.awsMessage())
                  .isEqualTo(
                      "1 validation error detected: Value at 'plaintext' failed to satisfy"
                          + " constraint: Member must have length less than or equal to 4096");
            });
  }

  @Test
  void encrypt_emptyPlaintext_isAValidationError() {
    assertThatThrownBy(
            () ->
                SymmetricEnvelope.encrypt(
                    material, KEY_ARN, new byte[0], EncryptionContext.empty()))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e ->
                assertThat(e.awsMessage())
                    .isEqualTo(
                        "1 validation error detected: Value at 'plaintext' failed to satisfy"
                            + " constraint: Member must have length greater than or equal to 1"));
  }

  @Test
  void encrypt_withHmacMaterial_isAnEngineBug() {
    assertThatThrownBy(
            () ->
                SymmetricEnvelope.encrypt(
                    KeyMaterial.generate(KeySpec.HMAC_256),
                    KEY_ARN,
                    PLAINTEXT,
                    EncryptionContext.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the symmetric envelope needs SYMMETRIC_DEFAULT material, not [HMAC_256]");
  }

  @Test
  void parse_foreignBytes_isInvalidCiphertext() {
    byte[] foreign = "AQICAHi4TD31To111m8vFaxtKlhwaqUfGc".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> CiphertextBlob.parse(foreign))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidCiphertextException");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "ciphertext blob of 34 bytes does not start with the embedded KMS's header;"
                          + " it was not made by Encrypt or GenerateDataKey of this KMS");
            });
  }

  @Test
  void parse_truncatedBlob_isInvalidCiphertext() {
    byte[] blob =
        SymmetricEnvelope.encrypt(material, KEY_ARN, PLAINTEXT, EncryptionContext.empty());
    byte[] truncated = java.util.Arrays.copyOf(blob, 60);

    assertThatThrownBy(() -> CiphertextBlob.parse(truncated))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> assertThat(e.getMessage()).startsWith("ciphertext blob of 60 bytes is truncated"));
  }

  @Test
  void parse_blobOutsideTheModelsLimits_isAValidationError() {
    assertThatThrownBy(() -> CiphertextBlob.parse(new byte[6145]))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e ->
                assertThat(e.awsMessage())
                    .isEqualTo(
                        "1 validation error detected: Value at 'ciphertextBlob' failed to satisfy"
                            + " constraint: Member must have length less than or equal to 6144"));
    assertThatThrownBy(() -> CiphertextBlob.parse(new byte[0]))
        .isInstanceOfSatisfying(
            KmsCryptoException.class, e -> assertThat(e.code()).isEqualTo("ValidationException"));
  }

  @Test
  void encryptAndDecrypt_fromEightThreads_allRoundTrip() throws Exception {
    // given
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> results = new ArrayList<>();

    // when
    try {
      for (int task = 0; task < 64; task++) {
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    byte[] plaintext = new byte[1 + ThreadLocalRandom.current().nextInt(512)];
                    ThreadLocalRandom.current().nextBytes(plaintext);
                    EncryptionContext context =
                        EncryptionContext.of(Map.of("i", Integer.toString(i)));
                    byte[] blob = SymmetricEnvelope.encrypt(material, KEY_ARN, plaintext, context);
                    byte[] back =
                        SymmetricEnvelope.decrypt(CiphertextBlob.parse(blob), material, context);
                    if (!java.util.Arrays.equals(plaintext, back)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }

      // then
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // What the engine does with a Decrypt that names KEY_ARN: parse, check the key, find the
  // material.
  private byte[] decryptAsTheEngineWould(byte[] blob) {
    CiphertextBlob parsed = CiphertextBlob.parse(blob);
    if (!parsed.keyId().equals(KEY_ARN)) {
      throw KmsCryptoException.incorrectKey("blob names key " + parsed.keyId());
    }
    if (!parsed.keyMaterialId().equals(material.id())) {
      throw KmsCryptoException.invalidCiphertext("no such material " + parsed.keyMaterialId());
    }
    return SymmetricEnvelope.decrypt(parsed, material, EncryptionContext.empty());
  }
}
