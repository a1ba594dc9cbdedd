package dev.kmsposture.snapshot;

/**
 * How a resource's data is encrypted at rest, in kms-posture's terms: which kind of key protects
 * it. The service's own words for it ({@code AES256}, {@code aws:kms}, {@code SSE-SQS}, {@code
 * sse-rds}, …) are in {@link ResourceSnapshot#encryption()}; this classification is what the rules
 * read.
 *
 * <p>The classification is kms-posture's own and closed; a value a service adds later that
 * kms-posture does not know is {@link #UNRECOGNISED}, with the service's value kept as written.
 */
public enum ResourceProtection {
  /** The data is not encrypted at rest (an unencrypted EBS volume, an SNS topic without SSE). */
  NOT_ENCRYPTED,
  /**
   * Encrypted with a key the service owns and the account cannot see or control, not a KMS key of
   * the account: S3 SSE-S3, SQS SSE-SQS, CloudWatch Logs without {@code kmsKeyId}, RDS {@code
   * sse-rds}, a DynamoDB table without {@code SSEDescription}, an FSx for Lustre scratch file
   * system.
   */
  AWS_OWNED_KEY,
  /** Encrypted with an AWS managed KMS key of the account ({@code aws/<service>}). */
  AWS_MANAGED_KEY,
  /** Encrypted with a customer managed KMS key (of this account or another). */
  CUSTOMER_MANAGED_KEY,
  /**
   * Encrypted with a KMS key whose manager is not known: the reference could not be resolved, or it
   * names a key of this account that the snapshot does not hold (a Region that was not scanned).
   */
  KMS_KEY,
  /** The service reported an encryption setting kms-posture does not know; see the resource. */
  UNRECOGNISED,
  /**
   * The resource is known, but how it is encrypted could not be read (the call was denied or
   * failed); {@link ResourceSnapshot#encryption()} says why.
   */
  NOT_READ;

  /** Returns whether a KMS key protects the data (AWS managed, customer managed or unknown). */
  public boolean usesKmsKey() {
    return this == AWS_MANAGED_KEY || this == CUSTOMER_MANAGED_KEY || this == KMS_KEY;
  }
}
