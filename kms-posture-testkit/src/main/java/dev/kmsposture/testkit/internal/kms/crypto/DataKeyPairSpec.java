package dev.kmsposture.testkit.internal.kms.crypto;

/**
 * The {@code KeyPairSpec} of GenerateDataKeyPair(WithoutPlaintext), in the SDK model's order. Each
 * is generated like the KMS key spec of the same name ({@link #keySpec()}).
 */
public enum DataKeyPairSpec implements WireEnum {
  RSA_2048(KeySpec.RSA_2048),
  RSA_3072(KeySpec.RSA_3072),
  RSA_4096(KeySpec.RSA_4096),
  ECC_NIST_P256(KeySpec.ECC_NIST_P256),
  ECC_NIST_P384(KeySpec.ECC_NIST_P384),
  ECC_NIST_P521(KeySpec.ECC_NIST_P521),
  ECC_SECG_P256K1(KeySpec.ECC_SECG_P256K1),
  SM2(KeySpec.SM2),
  ECC_NIST_EDWARDS25519(KeySpec.ECC_NIST_EDWARDS25519),
  ML_KEM_512(KeySpec.ML_KEM_512),
  ML_KEM_768(KeySpec.ML_KEM_768),
  ML_KEM_1024(KeySpec.ML_KEM_1024);

  private final KeySpec keySpec;

  DataKeyPairSpec(KeySpec keySpec) {
    this.keySpec = keySpec;
  }

  @Override
  public String wireName() {
    return name();
  }

  /** The KMS key spec whose key pairs this spec generates. */
  public KeySpec keySpec() {
    return keySpec;
  }

  /** Whether the embedded KMS can generate this pair ({@link KeySpec#isSupported()}). */
  public boolean isSupported() {
    return keySpec.isSupported();
  }
}
