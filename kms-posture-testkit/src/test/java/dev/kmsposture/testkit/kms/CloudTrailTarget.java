package dev.kmsposture.testkit.kms;

/** The {@code X-Amz-Target} of CloudTrail operations. */
final class CloudTrailTarget {
  private CloudTrailTarget() {}

  static String of(String operation) {
    return "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101." + operation;
  }
}
