package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;

/**
 * Flags an AWS-managed key ({@code aws/<service>}) that the snapshot shows protecting resources.
 * AWS-managed keys cannot be shared across accounts, have a fixed key policy and a fixed yearly
 * rotation, and cannot be disabled or deleted; data that needs any of those controls, or that is
 * classified, belongs under a customer-managed key (KMS Developer Guide, "AWS managed keys"). The
 * snapshot cannot tell how sensitive each resource is, so every listed resource is reported for a
 * person to judge. When resources were not collected the result is UNKNOWN; use of AWS-managed keys
 * is visible in CloudTrail too. Customer-managed keys are not applicable.
 */
public final class AwsManagedKeyForSensitiveData implements KeyRule {
  /** How many resource ARNs a message lists before summarising. */
  static final int LISTED = 3;

  private static final RuleInfo INFO =
      new RuleInfo(
          RuleId.of("AwsManagedKeyForSensitiveData"),
          "Resources are encrypted with an AWS-managed key where a customer-managed key may be"
              + " required",
          Severity.RECOMMENDED,
          "With an AWS-managed key the customer cannot change the key policy, share the key with"
              + " another account, choose the rotation period, or disable or delete the key, and"
              + " cannot demonstrate that control to an auditor.",
          "[Recommended] Use customer-managed CMKs (not AWS-managed CMKs) when any of the following"
              + " applies: cross-account access is required, the key policy needs to be"
              + " customized, key usage needs to appear in CloudTrail, key rotation cadence needs"
              + " to be controlled, the workload is subject to regulations that require"
              + " demonstrable customer control of the key.",
          List.of(),
          new Remediation(
              "Create a customer-managed key for the data, switch the resource's encryption"
                  + " settings to it and re-encrypt existing data (for S3, with Batch Operations"
                  + " or a copy).",
              "aws kms create-key --description \"<what it protects>\" --tags"
                  + " TagKey=Owner,TagValue=<team> && aws kms enable-key-rotation --key-id"
                  + " <new-key-id>",
              "kms.createKey(r -> r.description(description).tags(tags)); kms.enableKeyRotation(r"
                  + " -> r.keyId(newKeyId))"),
          List.of("least-privilege", "cross-account"),
          List.of());

  /** Creates the rule; it holds no state. */
  public AwsManagedKeyForSensitiveData() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    String name = context.describe(key);
    if (key.metadata().isCustomerManaged()) {
      return List.of(
          Finding.notApplicable(
              INFO, key, Message.of("%s is customer managed", context.describeCapitalized(key))));
    }
    List<String> resources = key.resources();
    if (resources == null) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              key.unreadableReason(KeyPart.RESOURCES)
                      .map(r -> "The resources that use " + name + " could not be read: " + r)
                      .orElse("The resources that use " + name + " were not listed in the snapshot")
                  + "; use of AWS-managed keys is visible in CloudTrail too"));
    }
    if (resources.isEmpty()) {
      return List.of(
          Finding.pass(INFO, key, Message.of("No resource in the snapshot uses %s", name)));
    }
    List<String> sorted = resources.stream().sorted().toList();
    String listed = String.join(", ", sorted.subList(0, Math.min(LISTED, sorted.size())));
    String more = sorted.size() > LISTED ? " and " + (sorted.size() - LISTED) + " more" : "";
    return List.of(
        Finding.fail(
            INFO,
            key,
            KeyTraits.count(sorted.size(), "resource uses ", "resources use ")
                + name
                + " ("
                + listed
                + more
                + "); use a customer-managed key where data classification, cross-account use,"
                + " key-policy control, a custom rotation period, or the ability to disable or"
                + " delete the key is required"));
  }
}
