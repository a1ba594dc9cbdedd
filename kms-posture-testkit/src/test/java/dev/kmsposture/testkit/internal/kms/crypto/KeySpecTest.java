package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KeySpecTest {
  @Test
  void supportedSpecs_areAllButTheOnesTheJdkLacks() {
    List<String> unsupported =
        Arrays.stream(KeySpec.values())
            .filter(spec -> !spec.isSupported())
            .map(KeySpec::wireName)
            .collect(Collectors.toList());

    assertThat(unsupported)
        .containsExactly(
            "SM2",
            "ML_DSA_44",
            "ML_DSA_65",
            "ML_DSA_87",
            "ML_KEM_512",
            "ML_KEM_768",
            "ML_KEM_1024");
  }

  @Test
  void wireNames_matchTheSdkModel() {
    for (KeySpec spec : KeySpec.values()) {
      assertThat(software.amazon.awssdk.services.kms.model.KeySpec.fromValue(spec.wireName()))
          .as(spec.wireName())
          .isNotEqualTo(software.amazon.awssdk.services.kms.model.KeySpec.UNKNOWN_TO_SDK_VERSION);
    }
    for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
      assertThat(
              software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec.fromValue(
                  algorithm.wireName()))
          .as(algorithm.wireName())
          .isNotEqualTo(
              software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec
                  .UNKNOWN_TO_SDK_VERSION);
    }
    for (EncryptionAlgorithm algorithm : EncryptionAlgorithm.values()) {
      assertThat(
              software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec.fromValue(
                  algorithm.wireName()))
          .isNotEqualTo(
              software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec
                  .UNKNOWN_TO_SDK_VERSION);
    }
    for (DataKeyPairSpec spec : DataKeyPairSpec.values()) {
      assertThat(
              software.amazon.awssdk.services.kms.model.DataKeyPairSpec.fromValue(spec.wireName()))
          .isNotEqualTo(
              software.amazon.awssdk.services.kms.model.DataKeyPairSpec.UNKNOWN_TO_SDK_VERSION);
    }
    for (WrappingAlgorithm algorithm : WrappingAlgorithm.values()) {
      assertThat(
              software.amazon.awssdk.services.kms.model.AlgorithmSpec.fromValue(
                  algorithm.wireName()))
          .isNotEqualTo(
              software.amazon.awssdk.services.kms.model.AlgorithmSpec.UNKNOWN_TO_SDK_VERSION);
    }
  }

  @Test
  void algorithms_perSpec_areAwsTables() {
    assertThat(KeySpec.RSA_3072.encryptionAlgorithms())
        .containsExactly(
            EncryptionAlgorithm.RSAES_OAEP_SHA_1, EncryptionAlgorithm.RSAES_OAEP_SHA_256);
    assertThat(KeySpec.RSA_3072.signingAlgorithms()).hasSize(6);
    assertThat(KeySpec.ECC_NIST_P384.signingAlgorithms())
        .containsExactly(SigningAlgorithm.ECDSA_SHA_384);
    assertThat(KeySpec.ECC_NIST_P521.signingAlgorithms())
        .containsExactly(SigningAlgorithm.ECDSA_SHA_512);
    assertThat(KeySpec.ECC_NIST_EDWARDS25519.signingAlgorithms())
        .containsExactly(SigningAlgorithm.ED25519_SHA_512, SigningAlgorithm.ED25519_PH_SHA_512);
    assertThat(KeySpec.HMAC_384.macAlgorithms()).containsExactly(MacAlgorithm.HMAC_SHA_384);
    assertThat(KeySpec.ECC_NIST_P256.keyAgreementAlgorithms())
        .containsExactly(KeyAgreementAlgorithm.ECDH);
    assertThat(KeySpec.ECC_NIST_EDWARDS25519.keyAgreementAlgorithms()).isEmpty();
    assertThat(KeySpec.SYMMETRIC_DEFAULT.signingAlgorithms()).isEmpty();
    assertThat(KeySpec.ECC_NIST_P256.keyUsages())
        .containsExactlyInAnyOrder(KeyUsage.SIGN_VERIFY, KeyUsage.KEY_AGREEMENT);
    assertThat(KeySpec.ECC_NIST_EDWARDS25519.allows(KeyUsage.KEY_AGREEMENT)).isFalse();
    assertThat(KeySpec.SM2.keyUsages()).hasSize(3);
    assertThat(KeySpec.HMAC_224.allows(KeyUsage.GENERATE_VERIFY_MAC)).isTrue();
  }

  @Test
  void requireAllowed_otherSpecsAlgorithm_isInvalidKeyUsageInAwsWords() {
    assertThatThrownBy(() -> KeySpec.ECC_NIST_P384.requireAllowed(SigningAlgorithm.ECDSA_SHA_256))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidKeyUsageException");
              assertThat(e.awsMessage())
                  .isEqualTo(
                      "Algorithm ECDSA_SHA_256 is incompatible with key spec ECC_NIST_P384.");
            });
    assertThatThrownBy(
            () -> KeySpec.SYMMETRIC_DEFAULT.requireAllowed(EncryptionAlgorithm.RSAES_OAEP_SHA_1))
        .hasMessage("Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SYMMETRIC_DEFAULT.");
    assertThatThrownBy(() -> KeySpec.HMAC_256.requireAllowed(MacAlgorithm.HMAC_SHA_512))
        .hasMessage("Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256.");
  }

  @Test
  void parseEnum_unknownValue_listsTheValueSetAsAwsDoes() {
    assertThatThrownBy(() -> AwsValidation.parseEnum(DataKeySpec.class, "keySpec", "AES_512"))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e ->
                assertThat(e.awsMessage())
                    .isEqualTo(
                        "1 validation error detected: Value 'AES_512' at 'keySpec' failed to"
                            + " satisfy constraint: Member must satisfy enum value set: [AES_256,"
                            + " AES_128]"));
    assertThat(AwsValidation.parseEnum(KeySpec.class, "keySpec", "ECC_SECG_P256K1"))
        .isEqualTo(KeySpec.ECC_SECG_P256K1);
    assertThat(AwsValidation.findEnum(SigningAlgorithm.class, "SM2DSA"))
        .contains(SigningAlgorithm.SM2DSA);
    assertThat(AwsValidation.findEnum(EncryptionAlgorithm.class, "SM2_PKE")).isEmpty();
  }
}
