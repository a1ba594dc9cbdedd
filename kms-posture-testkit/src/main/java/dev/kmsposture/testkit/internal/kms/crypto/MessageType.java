package dev.kmsposture.testkit.internal.kms.crypto;

/**
 * How Sign and Verify read {@code Message} ({@code MessageType}): {@code RAW} is hashed as part of
 * the signing algorithm, {@code DIGEST} is the digest already, {@code EXTERNAL_MU} is ML-DSA's
 * 64-byte representative. AWS's default is {@code RAW}.
 */
public enum MessageType implements WireEnum {
  RAW,
  DIGEST,
  EXTERNAL_MU;

  @Override
  public String wireName() {
    return name();
  }
}
