package dev.kmsposture.testkit.internal.kms.crypto;

/** KMS key agreement algorithms ({@code KeyAgreementAlgorithmSpec}): {@link KeyAgreements}. */
public enum KeyAgreementAlgorithm implements WireEnum {
  /** Elliptic-curve Diffie-Hellman (the raw shared secret, the x coordinate). */
  ECDH;

  @Override
  public String wireName() {
    return name();
  }
}
