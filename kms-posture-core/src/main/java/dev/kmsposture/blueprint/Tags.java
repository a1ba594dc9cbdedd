package dev.kmsposture.blueprint;

import dev.kmsposture.snapshot.ProvisioningTags;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The checks on a blueprint's tags: AWS's tag rules and the vocabulary of the required tags. */
final class Tags {
  /** The four tags every customer-managed key carries (KMS checklist, tagging). */
  static final List<String> REQUIRED =
      List.of("Owner", "Environment", "Purpose", "DataClassification");

  /** The values {@code DataClassification} may take. */
  static final List<String> CLASSIFICATIONS =
      List.of("public", "internal", "confidential", "restricted");

  /**
   * At most 50 user tags per key (KMS quotas); the provisioner reserves four: the run tag, the
   * failed-provisioning tag, the disabled-at tag and the multi-Region justification.
   */
  static final int MAX_TAGS = 46;

  // AWS's general tag character rules (Tagging AWS resources, "Tag naming limits").
  private static final Pattern CHARS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

  private Tags() {}

  static void checkKey(String key) {
    if (key.isEmpty() || key.length() > 128) {
      throw new IllegalArgumentException(
          String.format("tag key [%s] must be 1 to 128 characters", key));
    }
    if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
      throw new IllegalArgumentException(
          String.format("tag key [%s] starts with aws:, which AWS reserves", key));
    }
    if (ProvisioningTags.isReserved(key)) {
      throw new IllegalArgumentException(
          String.format(
              "tag key [%s] starts with %s, which kms-posture reserves for the tags it writes",
              key, ProvisioningTags.PREFIX));
    }
    if (!CHARS.matcher(key).matches()) {
      throw new IllegalArgumentException(
          String.format(
              "tag key [%s] has characters AWS does not accept; use letters, digits, spaces and _"
                  + " . : / = + - @",
              key));
    }
  }

  static void checkValue(String field, String value) {
    if (value.length() > 256) {
      throw new IllegalArgumentException(
          String.format(
              "%s is %d characters long; a tag value holds at most 256", field, value.length()));
    }
    if (!CHARS.matcher(value).matches()) {
      throw new IllegalArgumentException(
          String.format(
              "%s [%s] has characters a tag value does not accept; use letters, digits, spaces and"
                  + " _ . : / = + - @",
              field, value));
    }
  }
}
