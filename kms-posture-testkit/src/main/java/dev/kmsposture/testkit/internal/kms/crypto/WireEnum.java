package dev.kmsposture.testkit.internal.kms.crypto;

/**
 * A value of one of AWS KMS's closed vocabularies (key specs, algorithms, message types), written
 * on the wire as {@link #wireName()}. Parse wire text with {@link AwsValidation#parseEnum}.
 */
public interface WireEnum {
  /** The value as AWS writes it in requests and responses, such as {@code ECC_SECG_P256K1}. */
  String wireName();
}
