package dev.kmsposture.rules.library;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Flags a customer-managed key whose description is empty or says nothing: blank, shorter than four
 * characters, a generic word ({@code test}, {@code key}, {@code cmk}, {@code kms key}, {@code my
 * key}, {@code default}, {@code description}, {@code todo}, {@code tbd}, {@code n/a}, {@code none},
 * {@code temp}, {@code new key}, …) or the key's own alias repeated.
 *
 * <p>Severity is critical because the checklist puts the description in the same critical item as
 * the alias ("a meaningful alias and a meaningful key policy Description"). AWS-managed keys are
 * not applicable: AWS writes their description ("Default master key that protects my … data").
 */
public final class DescriptionMissing implements KeyRule {
  private static final Pattern GENERIC =
      Pattern.compile(
          "(a |my |the |new |test |kms |customer managed |customer-managed )*"
              + "(test|testing|key|cmk|kms|kms key|kms-key|encryption key|default|description"
              + "|todo|tbd|n/?a|none|null|temp|tmp|foo|bar|demo|sample|example|dummy|placeholder"
              + "|untitled|created by terraform|managed by terraform|key for testing)s?\\.?");

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("DescriptionMissing"))
          .summary("Customer-managed key has no meaningful description")
          .severity(Severity.CRITICAL)
          .rationale(
              "The description is the only free-text field KMS keeps with a key. Without one, nobody"
                  + " reading the account can tell what data the key protects, who owns it, or whether"
                  + " it can be retired. Do not put secrets there: CloudTrail records it.")
          .checklistItem(
              "[Critical] Every customer-managed CMK must have a meaningful alias and a meaningful key"
                  + " policy Description.")
          .remediation(
              new Remediation(
                  "Describe what the key protects, for which workload and environment, and who owns"
                      + " it.",
                  "aws kms update-key-description --key-id <key-id> --description \"Encrypts customer"
                      + " PII in the prod orders database; owner team-payments\"",
                  "kms.updateKeyDescription(r -> r.keyId(keyId).description(\"Encrypts customer PII"
                      + " in the prod orders database; owner team-payments\"))"))
          .addTag("hygiene")
          .build();

  /** Creates the rule; it holds no state. */
  public DescriptionMissing() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    String name = context.describeCapitalized(key);
    if (!key.metadata().isCustomerManaged()) {
      return List.of(
          Finding.notApplicable(
              INFO, key, Message.of("%s is AWS managed: AWS writes its description", name)));
    }
    String description = key.metadata().description().strip();
    if (description.isEmpty()) {
      return List.of(Finding.fail(INFO, key, Message.of("%s has no description", name)));
    }
    String lower = description.toLowerCase(Locale.ROOT);
    boolean repeatsAlias =
        key.aliases() != null
            && key.aliases().stream()
                .anyMatch(a -> KeyTraits.aliasName(a).equalsIgnoreCase(description));
    if (lower.length() < 4 || GENERIC.matcher(lower).matches() || repeatsAlias) {
      return List.of(
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "%s has a description that says nothing about what it protects:" + " \"%s\"",
                  name, description)));
    }
    return List.of(
        Finding.pass(INFO, key, Message.of("%s has a description: \"%s\"", name, description)));
  }
}
