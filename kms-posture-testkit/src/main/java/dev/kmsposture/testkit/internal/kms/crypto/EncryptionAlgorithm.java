package dev.kmsposture.testkit.internal.kms.crypto;

/** KMS encryption algorithms ({@code EncryptionAlgorithmSpec}), in the model's order. */
public enum EncryptionAlgorithm implements WireEnum {
  /** AES-256-GCM under a symmetric key: {@link SymmetricEnvelope}. */
  SYMMETRIC_DEFAULT("SYMMETRIC_DEFAULT"),
  /** RSAES-OAEP with SHA-1 for the hash and for MGF1, empty label: {@link RsaEncryption}. */
  RSAES_OAEP_SHA_1("RSAES_OAEP_SHA_1"),
  /** RSAES-OAEP with SHA-256 for the hash and for MGF1, empty label: {@link RsaEncryption}. */
  RSAES_OAEP_SHA_256("RSAES_OAEP_SHA_256"),
  /** SM2 public-key encryption (China Regions); not supported by the embedded KMS. */
  SM2PKE("SM2PKE");

  private final String wireName;

  EncryptionAlgorithm(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }
}
