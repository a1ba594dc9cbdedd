package dev.kmsposture.testkit.internal.kms.crypto;

/** The {@code WrappingKeySpec} of GetParametersForImport, in the model's order. */
public enum WrappingKeySpec implements WireEnum {
  RSA_2048(2048),
  RSA_3072(3072),
  RSA_4096(4096),
  /** China Regions only; not supported by the embedded KMS. */
  SM2(0);

  private final int bits;

  WrappingKeySpec(int bits) {
    this.bits = bits;
  }

  @Override
  public String wireName() {
    return name();
  }

  /** The RSA modulus length in bits (0 for SM2). */
  int bits() {
    return bits;
  }
}
