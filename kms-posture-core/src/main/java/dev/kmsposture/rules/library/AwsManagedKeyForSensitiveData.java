package dev.kmsposture.rules.library;

import dev.kmsposture.internal.text.Words;
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
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Flags an AWS-managed key ({@code aws/<service>}) that the snapshot shows protecting resources.
 * AWS-managed keys cannot be shared across accounts, have a fixed key policy and a fixed yearly
 * rotation, and cannot be disabled or deleted; data that needs any of those controls, or that is
 * classified, belongs under a customer-managed key (KMS Developer Guide, "AWS managed keys"). The
 * snapshot cannot tell how sensitive each resource is, so every listed resource is reported for a
 * person to judge. When resources were not collected the result is UNKNOWN; use of AWS-managed keys
 * is visible in CloudTrail too. Customer-managed keys are not applicable.
 *
 * <p>With the snapshot's resource inventory ({@code scan --resources}) the rule judges each
 * resource under the key by its own signals: its tags ({@code productionTags}, such as {@code
 * DataClassification=confidential}) and the words of its name ({@code productionNameTokens}, such
 * as {@code pii}), as well as the key's. A resource with a signal FAILs; when every resource's tags
 * were read and none has a signal, the key PASSes; a resource whose tags were not read and whose
 * name says nothing is UNKNOWN.
 */
public final class AwsManagedKeyForSensitiveData implements KeyRule {
  /** How many resource ARNs a message lists before summarising. */
  static final int LISTED = 3;

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("AwsManagedKeyForSensitiveData"))
          .summary(
              "Resources are encrypted with an AWS-managed key where a customer-managed key may be"
                  + " required")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "With an AWS-managed key the customer cannot change the key policy, share the key with"
                  + " another account, choose the rotation period, or disable or delete the key, and"
                  + " cannot demonstrate that control to an auditor.")
          .checklistItem(
              "[Recommended] Use customer-managed CMKs (not AWS-managed CMKs) when any of the following"
                  + " applies: cross-account access is required, the key policy needs to be"
                  + " customized, key usage needs to appear in CloudTrail, key rotation cadence needs"
                  + " to be controlled, the workload is subject to regulations that require"
                  + " demonstrable customer control of the key.")
          .remediation(
              new Remediation(
                  "Create a customer-managed key for the data, switch the resource's encryption"
                      + " settings to it and re-encrypt existing data (for S3, with Batch Operations"
                      + " or a copy).",
                  "aws kms create-key --description \"<what it protects>\" --tags"
                      + " TagKey=Owner,TagValue=<team> && aws kms enable-key-rotation --key-id"
                      + " <new-key-id>",
                  "kms.createKey(r -> r.description(description).tags(tags)); kms.enableKeyRotation(r"
                      + " -> r.keyId(newKeyId))"))
          .tags(List.of("least-privilege", "cross-account"))
          .build();

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
    ResourceInventory inventory = context.snapshot().inventory();
    if (inventory != null) {
      return fromInventory(key, context, inventory.resourcesUsing(key.arn()));
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

  private static List<Finding> fromInventory(
      KeySnapshot key, RuleContext context, List<ResourceSnapshot> using) {
    String name = context.describe(key);
    if (using.isEmpty()) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of("No resource in the inventory names %s in its settings", name)));
    }
    List<String> keySignals = context.productionSignals(key);
    List<String> sensitive = new ArrayList<>();
    List<String> unread = new ArrayList<>();
    for (ResourceSnapshot r : using) {
      List<String> signals = signals(r, context);
      if (!signals.isEmpty()) {
        sensitive.add(r.displayName() + ": " + String.join(", ", signals));
      } else if (!keySignals.isEmpty()) {
        sensitive.add(r.displayName() + ": " + String.join(", ", keySignals));
      } else if (r.tags() == null) {
        unread.add(r.displayName());
      }
    }
    if (!sensitive.isEmpty()) {
      String listed = String.join("; ", sensitive.subList(0, Math.min(LISTED, sensitive.size())));
      String more =
          sensitive.size() > LISTED ? "; and " + (sensitive.size() - LISTED) + " more" : "";
      return List.of(
          Finding.fail(
              INFO,
              key,
              KeyTraits.count(
                      sensitive.size(),
                      "resource marked sensitive uses ",
                      "resources marked sensitive use ")
                  + name
                  + " ("
                  + listed
                  + more
                  + "); move the data to a customer-managed key (kms-posture fix plans the"
                  + " service's re-encryption path)"));
    }
    if (!unread.isEmpty()) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              KeyTraits.count(unread.size(), "resource uses ", "resources use ")
                  + name
                  + " whose tags were not read and whose names say nothing about the data ("
                  + String.join(", ", unread.subList(0, Math.min(LISTED, unread.size())))
                  + (unread.size() > LISTED ? " and " + (unread.size() - LISTED) + " more" : "")
                  + "); classify them to judge"));
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            KeyTraits.count(using.size(), "resource uses ", "resources use ")
                + name
                + ", none tagged or named as sensitive"));
  }

  /** Why a resource's tags or name mark its data as production or sensitive. */
  static List<String> signals(ResourceSnapshot r, RuleContext context) {
    List<String> reasons = new ArrayList<>();
    if (r.tags() != null) {
      for (Map.Entry<String, List<String>> e : context.config().productionTags().entrySet()) {
        String v = r.tags().get(e.getKey());
        if (v != null && e.getValue().stream().anyMatch(x -> x.equalsIgnoreCase(v.strip()))) {
          reasons.add("tagged " + e.getKey() + "=" + v);
        }
      }
    }
    for (String token : Words.lowerCase(r.name())) {
      if (context.config().productionNameTokens().contains(token)) {
        reasons.add("its name says " + token);
      }
    }
    return List.copyOf(reasons);
  }
}
