package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of signatures, MACs and RSA encryption: what is produced verifies (or decrypts) for
 * the same input and key, and for no altered input; and no error message shows a secret.
 */
class AsymmetricCryptoProperties {
  private static final List<SigningAlgorithm> ALGORITHMS =
      List.of(
          SigningAlgorithm.RSASSA_PSS_SHA_384,
          SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_512,
          SigningAlgorithm.ECDSA_SHA_256,
          SigningAlgorithm.ECDSA_SHA_384,
          SigningAlgorithm.ED25519_SHA_512,
          SigningAlgorithm.ED25519_PH_SHA_512);

  static Gen<byte[]> messages(int max) {
    return Generate.byteArrays(
        Generate.range(1, max), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
  }

  @Test
  void anySignature_verifiesForItsMessageOnly() {
    qt().withExamples(120)
        .forAll(Generate.pick(ALGORITHMS), messages(4096), Generate.range(0, 4095))
        .checkAssert(
            (algorithm, message, position) -> {
              KeyMaterial material = TestKeys.of(specOf(algorithm));
              MessageType type =
                  algorithm == SigningAlgorithm.ED25519_PH_SHA_512
                      ? MessageType.DIGEST
                      : MessageType.RAW;
              byte[] input = type == MessageType.DIGEST ? sha512(message) : message;
              byte[] signature = Signatures.sign(material, algorithm, type, input);
              assertThat(Signatures.verify(material, algorithm, type, input, signature)).isTrue();
              byte[] altered = input.clone();
              altered[position % altered.length] ^= (byte) 0x80;
              assertThat(Signatures.verify(material, algorithm, type, altered, signature))
                  .isFalse();
            });
  }

  @Test
  void anyMac_verifiesForItsMessageOnly() {
    qt().withExamples(300)
        .forAll(Generate.enumValues(MacAlgorithm.class), messages(4096), Generate.range(0, 4095))
        .checkAssert(
            (algorithm, message, position) -> {
              KeyMaterial material = TestKeys.of(specOf(algorithm));
              byte[] mac = Hmacs.generate(material, algorithm, message);
              assertThat(Hmacs.verify(material, algorithm, message, mac)).isTrue();
              byte[] altered = message.clone();
              altered[position % altered.length] ^= 1;
              assertThat(Hmacs.verify(material, algorithm, altered, mac)).isFalse();
            });
  }

  @Test
  void anyPlaintextWithinTheLimit_roundTripsThroughRsaOaep() {
    qt().withExamples(60)
        .forAll(
            Generate.pick(
                List.of(
                    EncryptionAlgorithm.RSAES_OAEP_SHA_1, EncryptionAlgorithm.RSAES_OAEP_SHA_256)),
            messages(190))
        .checkAssert(
            (algorithm, plaintext) -> {
              KeyMaterial material = TestKeys.of(KeySpec.RSA_2048);
              byte[] ciphertext = RsaEncryption.encrypt(material, algorithm, plaintext);
              assertThat(RsaEncryption.decrypt(material, algorithm, ciphertext))
                  .isEqualTo(plaintext);
            });
  }

  @Test
  void errors_neverShowTheSecret() {
    qt().withExamples(40)
        .forAll(messages(64), Generate.range(65, 128))
        .checkAssert(
            (message, length) -> {
              byte[] hmacKey = CryptoRandom.bytes(length);
              KeyMaterial hmac = KeyMaterial.imported(KeySpec.HMAC_512, "k", hmacKey);
              KeyMaterial aes = KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT);
              byte[] blob = SymmetricEnvelope.encrypt(aes, "k", message, EncryptionContext.empty());
              List<String> texts = new ArrayList<>();
              texts.add(hmac.toString());
              texts.add(aes.toString());
              texts.add(CiphertextBlob.parse(blob).toString());
              texts.add(
                  catchThrowableOfType(
                          KmsCryptoException.class,
                          () ->
                              Hmacs.verifyOrThrow(
                                  hmac, MacAlgorithm.HMAC_SHA_512, message, new byte[64]))
                      .toString());
              texts.add(
                  catchThrowableOfType(
                          KmsCryptoException.class,
                          () -> KeyMaterial.imported(KeySpec.HMAC_224, "k", hmacKey))
                      .toString());
              texts.add(
                  catchThrowableOfType(
                          KmsCryptoException.class,
                          () ->
                              SymmetricEnvelope.decrypt(
                                  CiphertextBlob.parse(blob),
                                  aes,
                                  EncryptionContext.of(java.util.Map.of("a", "b"))))
                      .toString());
              for (String text : texts) {
                TestKeys.assertDoesNotReveal(text, hmacKey);
                TestKeys.assertDoesNotReveal(text, aes.insecureEncoded());
                TestKeys.assertDoesNotReveal(text, message);
              }
            });
  }

  private static KeySpec specOf(SigningAlgorithm algorithm) {
    return switch (algorithm) {
      case RSASSA_PSS_SHA_384, RSASSA_PKCS1_V1_5_SHA_512 -> KeySpec.RSA_3072;
      case ECDSA_SHA_256 -> KeySpec.ECC_NIST_P256;
      case ECDSA_SHA_384 -> KeySpec.ECC_NIST_P384;
      default -> KeySpec.ECC_NIST_EDWARDS25519;
    };
  }

  private static KeySpec specOf(MacAlgorithm algorithm) {
    return switch (algorithm) {
      case HMAC_SHA_224 -> KeySpec.HMAC_224;
      case HMAC_SHA_256 -> KeySpec.HMAC_256;
      case HMAC_SHA_384 -> KeySpec.HMAC_384;
      case HMAC_SHA_512 -> KeySpec.HMAC_512;
    };
  }

  private static byte[] sha512(byte[] message) {
    try {
      return MessageDigest.getInstance("SHA-512").digest(message);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
