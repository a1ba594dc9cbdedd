package dev.kmsposture.testkit.internal.kms;

import java.util.List;
import java.util.Set;

/**
 * What KMS says about each key spec: the key usages it allows, the algorithms DescribeKey lists,
 * its key type and the grant operations that make sense for it.
 *
 * <p>Sources: the KMS API reference ({@code CreateKey} KeySpec and KeyUsage, {@code KeyMetadata}
 * algorithm lists, {@code CreateGrant} Operations) and the Developer Guide ("Key spec reference").
 */
final class KeySpecs {
  private KeySpecs() {}

  /** Every key spec the KMS API model (SDK 2.57.8) knows, in model order. */
  static final List<String> ALL =
      List.of(
          "RSA_2048",
          "RSA_3072",
          "RSA_4096",
          "ECC_NIST_P256",
          "ECC_NIST_P384",
          "ECC_NIST_P521",
          "ECC_SECG_P256K1",
          "SYMMETRIC_DEFAULT",
          "HMAC_224",
          "HMAC_256",
          "HMAC_384",
          "HMAC_512",
          "SM2",
          "ML_DSA_44",
          "ML_DSA_65",
          "ML_DSA_87",
          "ECC_NIST_EDWARDS25519",
          "ML_KEM_512",
          "ML_KEM_768",
          "ML_KEM_1024");

  /** Every key usage the model knows, in model order. */
  static final List<String> USAGES =
      List.of(
          "SIGN_VERIFY",
          "ENCRYPT_DECRYPT",
          "GENERATE_VERIFY_MAC",
          "KEY_AGREEMENT",
          "ENCAPSULATE_DECAPSULATE");

  static final List<String> ORIGINS =
      List.of("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");

  static boolean isSymmetric(String spec) {
    return spec.equals("SYMMETRIC_DEFAULT");
  }

  static boolean isHmac(String spec) {
    return spec.startsWith("HMAC_");
  }

  static boolean isRsa(String spec) {
    return spec.startsWith("RSA_");
  }

  static boolean isNistEcc(String spec) {
    return spec.equals("ECC_NIST_P256")
        || spec.equals("ECC_NIST_P384")
        || spec.equals("ECC_NIST_P521");
  }

  /** The key usages KMS accepts for {@code spec} (the KeyUsage parameter's documentation). */
  static Set<String> usagesFor(String spec) {
    if (isSymmetric(spec)) {
      return Set.of("ENCRYPT_DECRYPT");
    }
    if (isHmac(spec)) {
      return Set.of("GENERATE_VERIFY_MAC");
    }
    if (isRsa(spec)) {
      return Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY");
    }
    if (isNistEcc(spec)) {
      return Set.of("SIGN_VERIFY", "KEY_AGREEMENT");
    }
    if (spec.equals("SM2")) {
      return Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT");
    }
    if (spec.startsWith("ML_KEM_")) {
      return Set.of("ENCAPSULATE_DECAPSULATE");
    }
    // ECC_SECG_P256K1, ECC_NIST_EDWARDS25519, ML_DSA_*
    return Set.of("SIGN_VERIFY");
  }

  /** The key type UpdateAlias compares: symmetric, asymmetric or HMAC. */
  static String keyType(String spec) {
    if (isSymmetric(spec)) {
      return "symmetric";
    }
    return isHmac(spec) ? "HMAC" : "asymmetric";
  }

  /**
   * The request-quota bucket KMS counts a cryptographic request on this key against (Developer
   * Guide "Request quotas": symmetric including HMAC, RSA, ECC and SM2, ML-DSA).
   */
  static String quotaBucket(String spec) {
    if (isSymmetric(spec) || isHmac(spec)) {
      return "SYMMETRIC";
    }
    if (isRsa(spec)) {
      return "RSA";
    }
    if (spec.startsWith("ML_DSA_")) {
      return "ML_DSA";
    }
    if (spec.startsWith("ML_KEM_")) {
      return "ML_KEM";
    }
    return "ECC";
  }

  static List<String> encryptionAlgorithms(String spec, String usage) {
    if (!usage.equals("ENCRYPT_DECRYPT")) {
      return List.of();
    }
    if (isSymmetric(spec)) {
      return List.of("SYMMETRIC_DEFAULT");
    }
    if (isRsa(spec)) {
      return List.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256");
    }
    return spec.equals("SM2") ? List.of("SM2PKE") : List.of();
  }

  static List<String> signingAlgorithms(String spec, String usage) {
    if (!usage.equals("SIGN_VERIFY")) {
      return List.of();
    }
    if (isRsa(spec)) {
      return List.of(
          "RSASSA_PKCS1_V1_5_SHA_256",
          "RSASSA_PKCS1_V1_5_SHA_384",
          "RSASSA_PKCS1_V1_5_SHA_512",
          "RSASSA_PSS_SHA_256",
          "RSASSA_PSS_SHA_384",
          "RSASSA_PSS_SHA_512");
    }
    return switch (spec) {
      case "ECC_NIST_P256", "ECC_SECG_P256K1" -> List.of("ECDSA_SHA_256");
      case "ECC_NIST_P384" -> List.of("ECDSA_SHA_384");
      case "ECC_NIST_P521" -> List.of("ECDSA_SHA_512");
      case "ECC_NIST_EDWARDS25519" -> List.of("ED25519_SHA_512", "ED25519_PH_SHA_512");
      case "SM2" -> List.of("SM2DSA");
      case "ML_DSA_44", "ML_DSA_65", "ML_DSA_87" -> List.of("ML_DSA_SHAKE_256");
      default -> List.of();
    };
  }

  static List<String> macAlgorithms(String spec) {
    return isHmac(spec) ? List.of("HMAC_SHA_" + spec.substring(5)) : List.of();
  }

  static List<String> keyAgreementAlgorithms(String usage) {
    return usage.equals("KEY_AGREEMENT") ? List.of("ECDH") : List.of();
  }

  static List<String> encapsulationAlgorithms(String spec, String usage) {
    return usage.equals("ENCAPSULATE_DECAPSULATE") && spec.startsWith("ML_KEM_")
        ? List.of("ML_KEM_SHAKE_256")
        : List.of();
  }

  /**
   * The grant operations that KMS accepts for a key of this spec and usage ({@code CreateGrant}:
   * "Operations the key type does not support are rejected"). DescribeKey, CreateGrant and
   * RetireGrant apply to every key.
   */
  static Set<String> grantOperations(String spec, String usage) {
    java.util.LinkedHashSet<String> ops = new java.util.LinkedHashSet<>();
    ops.add("DescribeKey");
    ops.add("CreateGrant");
    ops.add("RetireGrant");
    switch (usage) {
      case "ENCRYPT_DECRYPT" -> {
        ops.add("Encrypt");
        ops.add("Decrypt");
        ops.add("ReEncryptFrom");
        ops.add("ReEncryptTo");
        if (isSymmetric(spec)) {
          ops.add("GenerateDataKey");
          ops.add("GenerateDataKeyWithoutPlaintext");
          ops.add("GenerateDataKeyPair");
          ops.add("GenerateDataKeyPairWithoutPlaintext");
        } else {
          ops.add("GetPublicKey");
        }
      }
      case "SIGN_VERIFY" -> {
        ops.add("Sign");
        ops.add("Verify");
        ops.add("GetPublicKey");
      }
      case "GENERATE_VERIFY_MAC" -> {
        ops.add("GenerateMac");
        ops.add("VerifyMac");
      }
      case "KEY_AGREEMENT" -> {
        ops.add("DeriveSharedSecret");
        ops.add("GetPublicKey");
      }
      case "ENCAPSULATE_DECAPSULATE" -> {
        ops.add("Encapsulate");
        ops.add("Decapsulate");
        ops.add("GetPublicKey");
      }
      default -> {
        // no further operations
      }
    }
    return ops;
  }

  /** Whether automatic and on-demand rotation of KMS-generated material apply to the key. */
  static boolean isRotatable(String spec) {
    return isSymmetric(spec);
  }
}
