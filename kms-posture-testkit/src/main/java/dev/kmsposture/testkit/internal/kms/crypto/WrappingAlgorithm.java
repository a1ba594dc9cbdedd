package dev.kmsposture.testkit.internal.kms.crypto;

/**
 * The {@code WrappingAlgorithm} ({@code AlgorithmSpec}) of GetParametersForImport, in the model's
 * order: how the key material is protected on its way in ({@link KeyImport}).
 */
public enum WrappingAlgorithm implements WireEnum {
  /** Deprecated; AWS refuses it since October 10, 2023. */
  RSAES_PKCS1_V1_5("RSAES_PKCS1_V1_5", ""),
  /** The material itself, RSAES-OAEP with SHA-1 (hash and MGF1) under the wrapping key. */
  RSAES_OAEP_SHA_1("RSAES_OAEP_SHA_1", "SHA-1"),
  /** The material itself, RSAES-OAEP with SHA-256 (hash and MGF1) under the wrapping key. */
  RSAES_OAEP_SHA_256("RSAES_OAEP_SHA_256", "SHA-256"),
  /**
   * An ephemeral AES key, RSAES-OAEP SHA-1 under the wrapping key, followed by the material wrapped
   * with that AES key by AES key wrap with padding (RFC 5649).
   */
  RSA_AES_KEY_WRAP_SHA_1("RSA_AES_KEY_WRAP_SHA_1", "SHA-1"),
  /** As {@link #RSA_AES_KEY_WRAP_SHA_1}, with SHA-256 for RSAES-OAEP. */
  RSA_AES_KEY_WRAP_SHA_256("RSA_AES_KEY_WRAP_SHA_256", "SHA-256"),
  /** China Regions only; not supported by the embedded KMS. */
  SM2PKE("SM2PKE", "");

  private final String wireName;
  private final String oaepDigest;

  WrappingAlgorithm(String wireName, String oaepDigest) {
    this.wireName = wireName;
    this.oaepDigest = oaepDigest;
  }

  @Override
  public String wireName() {
    return wireName;
  }

  /** The digest of the RSAES-OAEP step (empty for the algorithms we do not support). */
  String oaepDigest() {
    return oaepDigest;
  }

  /** Whether the material is wrapped with an ephemeral AES key (RSA_AES_KEY_WRAP_*). */
  boolean isAesKeyWrap() {
    return this == RSA_AES_KEY_WRAP_SHA_1 || this == RSA_AES_KEY_WRAP_SHA_256;
  }
}
