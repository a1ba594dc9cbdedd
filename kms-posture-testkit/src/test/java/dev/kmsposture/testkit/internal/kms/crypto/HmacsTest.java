package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HmacsTest {
  private static final byte[] MESSAGE = "Hi There".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @CsvSource({
    "HMAC_224, HMAC_SHA_224, HmacSHA224",
    "HMAC_256, HMAC_SHA_256, HmacSHA256",
    "HMAC_384, HMAC_SHA_384, HmacSHA384",
    "HMAC_512, HMAC_SHA_512, HmacSHA512"
  })
  void generate_isTheRawRfc2104Hmac(KeySpec spec, MacAlgorithm algorithm, String jcaName)
      throws Exception {
    KeyMaterial material = TestKeys.of(spec);
    Mac jca = Mac.getInstance(jcaName);
    jca.init(new SecretKeySpec(material.insecureEncoded(), jcaName));

    byte[] mac = Hmacs.generate(material, algorithm, MESSAGE);

    assertThat(mac).isEqualTo(jca.doFinal(MESSAGE)).hasSize(algorithm.macLength());
    assertThat(Hmacs.verify(material, algorithm, MESSAGE, mac)).isTrue();
  }

  @Test
  void generate_importedKey_matchesRfc4231TestCase2() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?". KMS needs at least 32
    // bytes for HMAC_256, so this checks the algorithm with the JDK's Mac instead.
    byte[] key = new byte[32];
    System.arraycopy("Jefe".getBytes(StandardCharsets.US_ASCII), 0, key, 0, 4);
    KeyMaterial material = KeyMaterial.imported(KeySpec.HMAC_256, "k", key);

    byte[] mac =
        Hmacs.generate(
            material,
            MacAlgorithm.HMAC_SHA_256,
            "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));

    // HMAC pads short keys with zeros to the block size, so "Jefe" and "Jefe" + 28 zero bytes are
    // the same key: the RFC's expected value applies.
    assertThat(HexFormat.of().formatHex(mac))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void verify_alteredMacOrMessage_isKmsInvalidMac() {
    KeyMaterial material = TestKeys.of(KeySpec.HMAC_256);
    byte[] mac = Hmacs.generate(material, MacAlgorithm.HMAC_SHA_256, MESSAGE);
    byte[] altered = mac.clone();
    altered[0] ^= 1;

    assertThat(Hmacs.verify(material, MacAlgorithm.HMAC_SHA_256, MESSAGE, altered)).isFalse();
    assertThat(
            Hmacs.verify(
                material,
                MacAlgorithm.HMAC_SHA_256,
                "Hi there".getBytes(StandardCharsets.US_ASCII),
                mac))
        .isFalse();
    assertThatThrownBy(
            () -> Hmacs.verifyOrThrow(material, MacAlgorithm.HMAC_SHA_256, MESSAGE, altered))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("KMSInvalidMacException");
              assertThat(e.awsMessage()).isEmpty();
              TestKeys.assertDoesNotReveal(
                  String.valueOf(e.getMessage()), material.insecureEncoded());
            });
  }

  @Test
  void generate_otherSpecsAlgorithm_isInvalidKeyUsage() {
    assertThatThrownBy(
            () -> Hmacs.generate(TestKeys.of(KeySpec.HMAC_224), MacAlgorithm.HMAC_SHA_256, MESSAGE))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidKeyUsageException");
              assertThat(e.awsMessage())
                  .isEqualTo("Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.");
            });
  }

  @Test
  void generate_messageOver4096Bytes_isAwsValidationError() {
    assertThatThrownBy(
            () ->
                Hmacs.generate(
                    TestKeys.of(KeySpec.HMAC_256), MacAlgorithm.HMAC_SHA_256, new byte[4097]))
        .hasMessage(
            "1 validation error detected: Value at 'message' failed to satisfy constraint: Member"
                + " must have length less than or equal to 4096");
  }
}
