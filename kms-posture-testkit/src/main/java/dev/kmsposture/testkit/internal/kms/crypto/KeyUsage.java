package dev.kmsposture.testkit.internal.kms.crypto;

/** What a KMS key may be used for ({@code KeyUsage}), in the model's order. */
public enum KeyUsage implements WireEnum {
  SIGN_VERIFY,
  ENCRYPT_DECRYPT,
  GENERATE_VERIFY_MAC,
  KEY_AGREEMENT,
  ENCAPSULATE_DECAPSULATE;

  @Override
  public String wireName() {
    return name();
  }
}
