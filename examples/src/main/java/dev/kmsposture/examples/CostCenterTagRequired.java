package dev.kmsposture.examples;

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
 * Example: a custom rule embedded in the engine beside the built-in ones. It requires a {@code
 * CostCenter} tag on every customer-managed key, and reports UNKNOWN (never PASS) when the tags
 * could not be read.
 */
public final class CostCenterTagRequired implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("CostCenterTagMissing"))
          .summary("Customer-managed keys carry a CostCenter tag")
          .severity(Severity.OPTIONAL)
          .rationale("Finance charges each key's monthly cost to the tagged cost center.")
          .checklistItem("Internal tagging standard, section 4")
          .remediation(
              new Remediation(
                  "Tag the key with its cost center.",
                  "aws kms tag-resource --key-id <key-id> --tags TagKey=CostCenter,TagValue=<cc>",
                  "kms.tagResource(r -> r.keyId(keyId).tags(t -> t.tagKey(\"CostCenter\").tagValue(cc)))"))
          .addTag("hygiene")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    if (!key.metadata().isCustomerManaged()) {
      return List.of(Finding.notApplicable(INFO, key, "AWS managed keys cannot be tagged"));
    }
    if (key.tags() == null) {
      String why = key.unreadableReason(KeyPart.TAGS).orElse("tags were not collected");
      return List.of(Finding.unknown(INFO, key, "Cannot tell: " + why));
    }
    if (key.tags().getOrDefault("CostCenter", "").isBlank()) {
      return List.of(
          Finding.fail(INFO, key, Message.of("No CostCenter tag on %s", context.describe(key))));
    }
    // Message.of keeps the template and its arguments; the text is rendered when a report reads
    // it, so the findings of a large account take little memory.
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "%s has a CostCenter tag (%s)",
                context.describeCapitalized(key), key.tags().get("CostCenter"))));
  }
}
