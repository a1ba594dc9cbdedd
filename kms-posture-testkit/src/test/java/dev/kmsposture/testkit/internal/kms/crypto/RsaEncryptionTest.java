package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RsaEncryptionTest {
  @ParameterizedTest
  @CsvSource({
    "RSA_2048, RSAES_OAEP_SHA_1, 214",
    "RSA_2048, RSAES_OAEP_SHA_256, 190",
    "RSA_3072, RSAES_OAEP_SHA_1, 342",
    "RSA_3072, RSAES_OAEP_SHA_256, 318",
    "RSA_4096, RSAES_OAEP_SHA_1, 470",
    "RSA_4096, RSAES_OAEP_SHA_256, 446"
  })
  void maxPlaintext_isTheDeveloperGuidesTable(
      KeySpec spec, EncryptionAlgorithm algorithm, int max) {
    assertThat(RsaEncryption.maxPlaintext(spec, algorithm)).isEqualTo(max);
  }

  @ParameterizedTest
  @CsvSource({
    "RSA_2048, RSAES_OAEP_SHA_1",
    "RSA_2048, RSAES_OAEP_SHA_256",
    "RSA_3072, RSAES_OAEP_SHA_256",
    "RSA_4096, RSAES_OAEP_SHA_1"
  })
  void offlineCiphertextWithTheExportedPublicKey_decrypts(
      KeySpec spec, EncryptionAlgorithm algorithm) throws Exception {
    // given: a client encrypts outside KMS with plain JCA and the public key from GetPublicKey
    KeyMaterial material = TestKeys.of(spec);
    PublicKey exported =
        KeyFactory.getInstance("RSA")
            .generatePublic(new X509EncodedKeySpec(material.publicKeyDer()));
    String digest = algorithm == EncryptionAlgorithm.RSAES_OAEP_SHA_1 ? "SHA-1" : "SHA-256";
    MGF1ParameterSpec mgf1 =
        algorithm == EncryptionAlgorithm.RSAES_OAEP_SHA_1
            ? MGF1ParameterSpec.SHA1
            : MGF1ParameterSpec.SHA256;
    Cipher offline = Cipher.getInstance("RSA/ECB/OAEPPadding");
    offline.init(
        Cipher.ENCRYPT_MODE,
        exported,
        new OAEPParameterSpec(digest, "MGF1", mgf1, PSource.PSpecified.DEFAULT));
    byte[] plaintext = CryptoRandom.bytes(RsaEncryption.maxPlaintext(spec, algorithm));

    // when
    byte[] decrypted = RsaEncryption.decrypt(material, algorithm, offline.doFinal(plaintext));

    // then
    assertThat(decrypted).isEqualTo(plaintext);
  }

  @Test
  void encrypt_decryptsWithPlainJcaAndTheSameParameters() throws Exception {
    KeyMaterial material = TestKeys.of(KeySpec.RSA_2048);
    byte[] plaintext = "secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    byte[] ciphertext =
        RsaEncryption.encrypt(material, EncryptionAlgorithm.RSAES_OAEP_SHA_256, plaintext);

    Cipher jca = Cipher.getInstance("RSA/ECB/OAEPPadding");
    jca.init(
        Cipher.DECRYPT_MODE,
        material.privateKey(),
        new OAEPParameterSpec(
            "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
    assertThat(jca.doFinal(ciphertext)).isEqualTo(plaintext);
    assertThat(ciphertext).hasSize(256);
  }

  @Test
  void decrypt_withTheOtherAlgorithm_isInvalidCiphertext() {
    KeyMaterial material = TestKeys.of(KeySpec.RSA_2048);
    byte[] ciphertext =
        RsaEncryption.encrypt(material, EncryptionAlgorithm.RSAES_OAEP_SHA_1, new byte[] {1, 2});

    assertThatThrownBy(
            () ->
                RsaEncryption.decrypt(material, EncryptionAlgorithm.RSAES_OAEP_SHA_256, ciphertext))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidCiphertextException");
              assertThat(e.awsMessage()).isEmpty();
            });
  }

  @Test
  void decrypt_underAnotherKey_isInvalidCiphertext() {
    byte[] ciphertext =
        RsaEncryption.encrypt(
            TestKeys.of(KeySpec.RSA_2048), EncryptionAlgorithm.RSAES_OAEP_SHA_256, new byte[] {7});
    KeyMaterial other = KeyMaterial.generate(KeySpec.RSA_2048);

    assertThatThrownBy(
            () -> RsaEncryption.decrypt(other, EncryptionAlgorithm.RSAES_OAEP_SHA_256, ciphertext))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> assertThat(e.code()).isEqualTo("InvalidCiphertextException"));
  }

  @Test
  void decrypt_symmetricBlobUnderAnRsaKey_isInvalidCiphertext() {
    byte[] blob =
        SymmetricEnvelope.encrypt(
            TestKeys.of(KeySpec.SYMMETRIC_DEFAULT), "k", new byte[] {1}, EncryptionContext.empty());

    assertThatThrownBy(
            () ->
                RsaEncryption.decrypt(
                    TestKeys.of(KeySpec.RSA_2048), EncryptionAlgorithm.RSAES_OAEP_SHA_1, blob))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidCiphertextException");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "an RSAES_OAEP_SHA_1 ciphertext under key spec [RSA_2048] has %d bytes, not"
                          + " 256",
                      blob.length);
            });
  }

  @Test
  void encrypt_onePastTheLimit_isAwsValidationError() {
    KeyMaterial material = TestKeys.of(KeySpec.RSA_2048);

    assertThatThrownBy(
            () ->
                RsaEncryption.encrypt(
                    material, EncryptionAlgorithm.RSAES_OAEP_SHA_256, new byte[191]))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ValidationException");
              assertThat(e.awsMessage())
                  .isEqualTo(
                      "Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data"
                          + " larger than 190 bytes.");
            });
  }

  @Test
  void encrypt_symmetricDefaultUnderRsa_isInvalidKeyUsage() {
    assertThatThrownBy(
            () ->
                RsaEncryption.encrypt(
                    TestKeys.of(KeySpec.RSA_2048),
                    EncryptionAlgorithm.SYMMETRIC_DEFAULT,
                    new byte[] {1}))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidKeyUsageException");
              assertThat(e.awsMessage())
                  .isEqualTo("Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.");
            });
  }
}
