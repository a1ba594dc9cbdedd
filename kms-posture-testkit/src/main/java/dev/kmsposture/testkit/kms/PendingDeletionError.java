package dev.kmsposture.testkit.kms;

/**
 * The error a cryptographic operation on a key pending deletion answers with. The Developer Guide's
 * key-state table allows either ("DisabledException or KMSInvalidStateException: {@code <key ARN>}
 * is pending deletion"), so code that reads KMS errors must accept both; a test can pick one to
 * exercise each path.
 *
 * @see LocalKms.Builder#pendingDeletionError(PendingDeletionError)
 */
public enum PendingDeletionError {
  /** {@code KMSInvalidStateException} (the SDK's {@code KmsInvalidStateException}); the default. */
  KMS_INVALID_STATE("KMSInvalidStateException"),
  /** {@code DisabledException}. */
  DISABLED("DisabledException");

  private final String code;

  PendingDeletionError(String code) {
    this.code = code;
  }

  /** Returns the wire error code, such as {@code KMSInvalidStateException}. */
  public String code() {
    return code;
  }
}
