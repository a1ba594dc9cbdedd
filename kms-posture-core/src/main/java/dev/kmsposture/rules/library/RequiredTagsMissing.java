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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Flags a customer-managed key that lacks one of the configured required tags ({@code
 * requiredTags}, default Owner, Environment, Purpose, DataClassification). Tag keys are
 * case-sensitive, as in KMS; a tag with an empty or blank value counts as missing; required keys
 * with the reserved {@code aws:} prefix are ignored (they cannot be set by users). Keys pending
 * deletion are not applicable: KMS refuses to tag them.
 */
public final class RequiredTagsMissing implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("RequiredTagsMissing"))
          .summary("Customer-managed key is missing required tags")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "Tags say who owns a key, what it protects and how sensitive that is. They drive cost"
                  + " allocation, ownership questions during incidents, and tag-based access control"
                  + " (aws:ResourceTag) that scales key policies across many keys.")
          .checklistItem(
              "[Recommended] Tag every customer-managed CMK with Owner, Environment, Purpose, and"
                  + " DataClassification.")
          .references(List.of("AWS Config required-tags"))
          .remediation(
              new Remediation(
                  "Add the missing tags with non-empty values.",
                  "aws kms tag-resource --key-id <key-id> --tags TagKey=Owner,TagValue=team-payments"
                      + " TagKey=Environment,TagValue=prod TagKey=Purpose,TagValue=customer-pii"
                      + " TagKey=DataClassification,TagValue=restricted",
                  "kms.tagResource(r -> r.keyId(keyId).tags(Tag.builder().tagKey(\"Owner\")"
                      + ".tagValue(\"team-payments\").build()))"))
          .addTag("hygiene")
          .build();

  /** Creates the rule; it holds no state. */
  public RequiredTagsMissing() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  // The settable required tags of the configuration last asked about: every key of a check asks
  // with the same list.
  private static volatile @Nullable Settable lastSettable;

  private record Settable(List<String> configured, List<String> settable) {}

  // the configured list itself: the answer depends on that instance's contents, which never change
  @SuppressWarnings("ReferenceEquality")
  static List<String> settable(List<String> configured) {
    Settable last = lastSettable;
    if (last != null && last.configured == configured) {
      return last.settable;
    }
    List<String> required = new ArrayList<>();
    for (String t : configured) {
      if (!t.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        required.add(t);
      }
    }
    List<String> settable = List.copyOf(required);
    lastSettable = new Settable(configured, settable);
    return settable;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    String name = context.describeCapitalized(key);
    if (!key.metadata().isCustomerManaged()) {
      return List.of(
          Finding.notApplicable(
              INFO, key, Message.of("%s is AWS managed: KMS does not allow tagging it", name)));
    }
    if (key.metadata().isPendingDeletion()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of("%s is pending deletion: KMS does not allow tagging it", name)));
    }
    List<String> required = settable(context.config().requiredTags());
    if (required.isEmpty()) {
      return List.of(
          Finding.notApplicable(INFO, key, "No required tags are configured (requiredTags)"));
    }
    Map<String, String> tags = key.tags();
    if (tags == null) {
      return List.of(
          Finding.unknown(INFO, key, KeyTraits.missing(key, KeyPart.TAGS, "tags", context)));
    }
    List<String> missing = new ArrayList<>();
    for (String t : required) {
      String v = tags.get(t);
      if (v == null || v.isBlank()) {
        missing.add(t);
      }
    }
    if (missing.isEmpty()) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of("%s carries every required tag (%s)", name, String.join(", ", required))));
    }
    return List.of(
        Finding.fail(
            INFO,
            key,
            Message.of(
                "%s is missing required %s%s",
                name, (missing.size() == 1 ? "tag " : "tags "), String.join(", ", missing))));
  }
}
