package dev.kmsposture.testkit.internal.kms.crypto;

/** KMS HMAC algorithms ({@code MacAlgorithmSpec}), in the model's order: {@link Hmacs}. */
public enum MacAlgorithm implements WireEnum {
  HMAC_SHA_224("HmacSHA224", 28),
  HMAC_SHA_256("HmacSHA256", 32),
  HMAC_SHA_384("HmacSHA384", 48),
  HMAC_SHA_512("HmacSHA512", 64);

  private final String jcaName;
  private final int macLength;

  MacAlgorithm(String jcaName, int macLength) {
    this.jcaName = jcaName;
    this.macLength = macLength;
  }

  @Override
  public String wireName() {
    return name();
  }

  /** The JCA {@code Mac} algorithm name. */
  String jcaName() {
    return jcaName;
  }

  /** The length of the MAC in bytes (the digest length). */
  public int macLength() {
    return macLength;
  }
}
