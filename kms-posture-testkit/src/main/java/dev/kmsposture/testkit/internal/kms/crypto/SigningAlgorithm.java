package dev.kmsposture.testkit.internal.kms.crypto;

/**
 * KMS signing algorithms ({@code SigningAlgorithmSpec}), in the model's order: {@link Signatures}.
 *
 * <p>The digest each uses is in its name (Sign and Verify documentation: "Signing algorithms that
 * end in SHA_256 use the SHA_256 hashing algorithm", and so on); a {@code DIGEST} message must have
 * exactly {@link #digestLength()} bytes.
 */
public enum SigningAlgorithm implements WireEnum {
  /** RSASSA-PSS, SHA-256 for the digest and MGF1, salt length 32 (the digest length). */
  RSASSA_PSS_SHA_256(Scheme.RSA_PSS, "SHA-256", 32),
  /** RSASSA-PSS, SHA-384 for the digest and MGF1, salt length 48. */
  RSASSA_PSS_SHA_384(Scheme.RSA_PSS, "SHA-384", 48),
  /** RSASSA-PSS, SHA-512 for the digest and MGF1, salt length 64. */
  RSASSA_PSS_SHA_512(Scheme.RSA_PSS, "SHA-512", 64),
  /** RSASSA-PKCS1-v1_5 with SHA-256. */
  RSASSA_PKCS1_V1_5_SHA_256(Scheme.RSA_PKCS1, "SHA-256", 32),
  /** RSASSA-PKCS1-v1_5 with SHA-384. */
  RSASSA_PKCS1_V1_5_SHA_384(Scheme.RSA_PKCS1, "SHA-384", 48),
  /** RSASSA-PKCS1-v1_5 with SHA-512. */
  RSASSA_PKCS1_V1_5_SHA_512(Scheme.RSA_PKCS1, "SHA-512", 64),
  /** ECDSA with SHA-256; the signature is DER-encoded. */
  ECDSA_SHA_256(Scheme.ECDSA, "SHA-256", 32),
  /** ECDSA with SHA-384; the signature is DER-encoded. */
  ECDSA_SHA_384(Scheme.ECDSA, "SHA-384", 48),
  /** ECDSA with SHA-512; the signature is DER-encoded. */
  ECDSA_SHA_512(Scheme.ECDSA, "SHA-512", 64),
  /** SM2 signatures (China Regions); not supported by the embedded KMS. */
  SM2DSA(Scheme.UNSUPPORTED, "SM3", 32),
  /** ML-DSA (FIPS 204); not supported by the embedded KMS on JDK 17. */
  ML_DSA_SHAKE_256(Scheme.UNSUPPORTED, "SHAKE256", 64),
  /** PureEdDSA Ed25519 (RFC 8032) over the message; {@code RAW} only. */
  ED25519_SHA_512(Scheme.ED25519, "SHA-512", 64),
  /** HashEdDSA Ed25519ph (RFC 8032) with SHA-512 as the prehash; {@code DIGEST} only. */
  ED25519_PH_SHA_512(Scheme.ED25519_PH, "SHA-512", 64);

  enum Scheme {
    RSA_PSS,
    RSA_PKCS1,
    ECDSA,
    ED25519,
    ED25519_PH,
    UNSUPPORTED
  }

  private final Scheme scheme;
  private final String digest;
  private final int digestLength;

  SigningAlgorithm(Scheme scheme, String digest, int digestLength) {
    this.scheme = scheme;
    this.digest = digest;
    this.digestLength = digestLength;
  }

  @Override
  public String wireName() {
    return name();
  }

  /** The length in bytes of a {@code DIGEST} message for this algorithm. */
  public int digestLength() {
    return digestLength;
  }

  /** Whether the embedded KMS can sign and verify with this algorithm. */
  public boolean isSupported() {
    return scheme != Scheme.UNSUPPORTED;
  }

  Scheme scheme() {
    return scheme;
  }

  /** The JCA {@code MessageDigest} name of the digest. */
  String digest() {
    return digest;
  }
}
