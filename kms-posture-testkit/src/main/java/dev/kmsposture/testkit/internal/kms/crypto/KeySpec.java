package dev.kmsposture.testkit.internal.kms.crypto;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every KMS key spec ({@code KeySpec}, in the SDK 2.57.8 model's order), with the algorithms and
 * key usages AWS allows for it and whether the embedded KMS (JDK 17, JCA only) can do it.
 *
 * <p>Not supported on JDK 17, each with {@link #unsupportedReason()}: {@code SM2} (no JDK
 * implementation), {@code ML_DSA_*} and {@code ML_KEM_*} (JDK 24 and later). ({@code
 * ECC_SECG_P256K1}, whose arithmetic SunEC dropped in JDK 16, is done by {@link Secp256k1}.) {@link
 * #requireSupported()} turns them into the error the engine answers.
 *
 * <p>The algorithm lists are what DescribeKey and GetPublicKey report, in AWS's order; an algorithm
 * outside them is refused with {@link KmsCryptoException#incompatibleAlgorithm}.
 */
public enum KeySpec implements WireEnum {
  RSA_2048(Family.RSA, 2048, ""),
  RSA_3072(Family.RSA, 3072, ""),
  RSA_4096(Family.RSA, 4096, ""),
  ECC_NIST_P256(Family.ECC_NIST, 256, "secp256r1"),
  ECC_NIST_P384(Family.ECC_NIST, 384, "secp384r1"),
  ECC_NIST_P521(Family.ECC_NIST, 521, "secp521r1"),
  ECC_SECG_P256K1(Family.ECC_SECG, 256, "secp256k1"),
  SYMMETRIC_DEFAULT(Family.SYMMETRIC, 256, ""),
  HMAC_224(Family.HMAC, 224, ""),
  HMAC_256(Family.HMAC, 256, ""),
  HMAC_384(Family.HMAC, 384, ""),
  HMAC_512(Family.HMAC, 512, ""),
  SM2(Family.SM2, 256, "sm2p256v1"),
  ML_DSA_44(Family.ML_DSA, 0, ""),
  ML_DSA_65(Family.ML_DSA, 0, ""),
  ML_DSA_87(Family.ML_DSA, 0, ""),
  ECC_NIST_EDWARDS25519(Family.EDWARDS, 255, "Ed25519"),
  ML_KEM_512(Family.ML_KEM, 0, ""),
  ML_KEM_768(Family.ML_KEM, 0, ""),
  ML_KEM_1024(Family.ML_KEM, 0, "");

  /** The kind of key material behind a spec. */
  public enum Family {
    SYMMETRIC,
    HMAC,
    RSA,
    ECC_NIST,
    ECC_SECG,
    EDWARDS,
    SM2,
    ML_DSA,
    ML_KEM
  }

  private final Family family;
  private final int bits;
  private final String curve;

  KeySpec(Family family, int bits, String curve) {
    this.family = family;
    this.bits = bits;
    this.curve = curve;
  }

  @Override
  public String wireName() {
    return name();
  }

  /** The kind of key material. */
  public Family family() {
    return family;
  }

  /** Whether the key is a key pair (RSA, elliptic curve, SM2, ML-DSA, ML-KEM). */
  public boolean isAsymmetric() {
    return family != Family.SYMMETRIC && family != Family.HMAC;
  }

  /** Whether the embedded KMS can generate, import and use keys of this spec. */
  public boolean isSupported() {
    return unsupportedReason().isEmpty();
  }

  /** Why the embedded KMS cannot do this spec on JDK 17; empty if it can. */
  public Optional<String> unsupportedReason() {
    return switch (family) {
      case SM2 -> Optional.of("the JDK has no SM2 implementation (AWS offers SM2 in China only)");
      case ML_DSA -> Optional.of("the JDK implements ML-DSA (FIPS 204) from JDK 24 on only");
      case ML_KEM -> Optional.of("the JDK implements ML-KEM (FIPS 203) from JDK 24 on only");
      default -> Optional.empty();
    };
  }

  /**
   * Checks that the embedded KMS can do this spec.
   *
   * @throws KmsCryptoException {@code UnsupportedOperationException} naming the spec and the reason
   */
  public void requireSupported() {
    Optional<String> reason = unsupportedReason();
    if (reason.isPresent()) {
      throw KmsCryptoException.unsupportedByEmbeddedKms(
          String.format("key spec [%s]", wireName()), reason.get());
    }
  }

  /** The key usages AWS allows for this spec (CreateKey's KeyUsage documentation). */
  public Set<KeyUsage> keyUsages() {
    return switch (family) {
      case SYMMETRIC -> EnumSet.of(KeyUsage.ENCRYPT_DECRYPT);
      case HMAC -> EnumSet.of(KeyUsage.GENERATE_VERIFY_MAC);
      case RSA -> EnumSet.of(KeyUsage.ENCRYPT_DECRYPT, KeyUsage.SIGN_VERIFY);
      case ECC_NIST -> EnumSet.of(KeyUsage.SIGN_VERIFY, KeyUsage.KEY_AGREEMENT);
      case ECC_SECG, EDWARDS, ML_DSA -> EnumSet.of(KeyUsage.SIGN_VERIFY);
      case SM2 ->
          EnumSet.of(KeyUsage.ENCRYPT_DECRYPT, KeyUsage.SIGN_VERIFY, KeyUsage.KEY_AGREEMENT);
      case ML_KEM -> EnumSet.of(KeyUsage.ENCAPSULATE_DECAPSULATE);
    };
  }

  /** The encryption algorithms of this spec; empty for specs that cannot encrypt. */
  public List<EncryptionAlgorithm> encryptionAlgorithms() {
    return switch (family) {
      case SYMMETRIC -> List.of(EncryptionAlgorithm.SYMMETRIC_DEFAULT);
      case RSA ->
          List.of(EncryptionAlgorithm.RSAES_OAEP_SHA_1, EncryptionAlgorithm.RSAES_OAEP_SHA_256);
      case SM2 -> List.of(EncryptionAlgorithm.SM2PKE);
      default -> List.of();
    };
  }

  /** The signing algorithms of this spec; empty for specs that cannot sign. */
  public List<SigningAlgorithm> signingAlgorithms() {
    return switch (this) {
      case RSA_2048, RSA_3072, RSA_4096 ->
          List.of(
              SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256,
              SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_384,
              SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_512,
              SigningAlgorithm.RSASSA_PSS_SHA_256,
              SigningAlgorithm.RSASSA_PSS_SHA_384,
              SigningAlgorithm.RSASSA_PSS_SHA_512);
      case ECC_NIST_P256, ECC_SECG_P256K1 -> List.of(SigningAlgorithm.ECDSA_SHA_256);
      case ECC_NIST_P384 -> List.of(SigningAlgorithm.ECDSA_SHA_384);
      case ECC_NIST_P521 -> List.of(SigningAlgorithm.ECDSA_SHA_512);
      case ECC_NIST_EDWARDS25519 ->
          List.of(SigningAlgorithm.ED25519_SHA_512, SigningAlgorithm.ED25519_PH_SHA_512);
      case ML_DSA_44, ML_DSA_65, ML_DSA_87 -> List.of(SigningAlgorithm.ML_DSA_SHAKE_256);
      case SM2 -> List.of(SigningAlgorithm.SM2DSA);
      default -> List.of();
    };
  }

  /** The MAC algorithm of an HMAC spec (one each); empty for other specs. */
  public List<MacAlgorithm> macAlgorithms() {
    return switch (this) {
      case HMAC_224 -> List.of(MacAlgorithm.HMAC_SHA_224);
      case HMAC_256 -> List.of(MacAlgorithm.HMAC_SHA_256);
      case HMAC_384 -> List.of(MacAlgorithm.HMAC_SHA_384);
      case HMAC_512 -> List.of(MacAlgorithm.HMAC_SHA_512);
      default -> List.of();
    };
  }

  /** The key agreement algorithms of this spec (ECDH for NIST curves and SM2); else empty. */
  public List<KeyAgreementAlgorithm> keyAgreementAlgorithms() {
    return family == Family.ECC_NIST || family == Family.SM2
        ? List.of(KeyAgreementAlgorithm.ECDH)
        : List.of();
  }

  /** Whether {@code algorithm} is one of {@link #encryptionAlgorithms()}. */
  public boolean allows(EncryptionAlgorithm algorithm) {
    return encryptionAlgorithms().contains(algorithm);
  }

  /** Whether {@code algorithm} is one of {@link #signingAlgorithms()}. */
  public boolean allows(SigningAlgorithm algorithm) {
    return signingAlgorithms().contains(algorithm);
  }

  /** Whether {@code algorithm} is one of {@link #macAlgorithms()}. */
  public boolean allows(MacAlgorithm algorithm) {
    return macAlgorithms().contains(algorithm);
  }

  /** Whether {@code algorithm} is one of {@link #keyAgreementAlgorithms()}. */
  public boolean allows(KeyAgreementAlgorithm algorithm) {
    return keyAgreementAlgorithms().contains(algorithm);
  }

  /** Whether {@code usage} is one of {@link #keyUsages()}. */
  public boolean allows(KeyUsage usage) {
    return keyUsages().contains(usage);
  }

  /**
   * Checks that {@code algorithm} belongs to this spec.
   *
   * @throws KmsCryptoException {@code InvalidKeyUsageException} "Algorithm X is incompatible with
   *     key spec Y." otherwise
   */
  public void requireAllowed(EncryptionAlgorithm algorithm) {
    if (!allows(algorithm)) {
      throw KmsCryptoException.incompatibleAlgorithm(algorithm, this);
    }
  }

  /**
   * Checks that {@code algorithm} belongs to this spec.
   *
   * @throws KmsCryptoException {@code InvalidKeyUsageException} otherwise
   */
  public void requireAllowed(SigningAlgorithm algorithm) {
    if (!allows(algorithm)) {
      throw KmsCryptoException.incompatibleAlgorithm(algorithm, this);
    }
  }

  /**
   * Checks that {@code algorithm} belongs to this spec.
   *
   * @throws KmsCryptoException {@code InvalidKeyUsageException} otherwise
   */
  public void requireAllowed(MacAlgorithm algorithm) {
    if (!allows(algorithm)) {
      throw KmsCryptoException.incompatibleAlgorithm(algorithm, this);
    }
  }

  /**
   * Checks that {@code algorithm} belongs to this spec.
   *
   * @throws KmsCryptoException {@code InvalidKeyUsageException} otherwise
   */
  public void requireAllowed(KeyAgreementAlgorithm algorithm) {
    if (!allows(algorithm)) {
      throw KmsCryptoException.incompatibleAlgorithm(algorithm, this);
    }
  }

  /** The RSA modulus length, EC field size, or symmetric/HMAC key length, in bits. */
  int bits() {
    return bits;
  }

  /** The JCA curve name for elliptic-curve specs ({@code secp256r1}, {@code Ed25519}). */
  String curve() {
    return curve;
  }

  /** The length in bytes of the secret KMS generates for symmetric and HMAC specs. */
  int secretLength() {
    return bits / 8;
  }
}
