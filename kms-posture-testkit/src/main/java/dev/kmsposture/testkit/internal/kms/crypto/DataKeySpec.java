package dev.kmsposture.testkit.internal.kms.crypto;

/** The {@code KeySpec} of GenerateDataKey(WithoutPlaintext), in the model's order. */
public enum DataKeySpec implements WireEnum {
  AES_256(32),
  AES_128(16);

  private final int length;

  DataKeySpec(int length) {
    this.length = length;
  }

  @Override
  public String wireName() {
    return name();
  }

  /** The data key's length in bytes. */
  public int length() {
    return length;
  }
}
