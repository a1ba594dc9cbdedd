package dev.kmsposture.testkit.kms;

import dev.kmsposture.testkit.internal.wire.KmsCallRecords;

/** Test access to how CloudTrail classifies KMS operations. */
final class KmsCallRecordsTestAccess {
  private KmsCallRecordsTestAccess() {}

  static boolean readOnly(String operation) {
    return KmsCallRecords.isReadOnly(operation);
  }
}
