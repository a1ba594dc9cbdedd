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
import org.jspecify.annotations.Nullable;

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
  // What a generic description consists of: any number of these words, each with its space, then
  // one generic noun, an optional "s" and an optional ".". Matched by hand rather than with a
  // regular expression, as every key's description is judged. No prefix starts another, so at most
  // one of them can be taken at each point.
  private static final List<String> GENERIC_PREFIXES =
      List.of(
          "a ", "my ", "the ", "new ", "test ", "kms ", "customer managed ", "customer-managed ");

  private static final List<String> GENERIC_NOUNS =
      List.of(
          "test",
          "testing",
          "key",
          "cmk",
          "kms",
          "kms key",
          "kms-key",
          "encryption key",
          "default",
          "description",
          "todo",
          "tbd",
          "na",
          "n/a",
          "none",
          "null",
          "temp",
          "tmp",
          "foo",
          "bar",
          "demo",
          "sample",
          "example",
          "dummy",
          "placeholder",
          "untitled",
          "created by terraform",
          "managed by terraform",
          "key for testing");

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
    if (lower.length() < 4 || isGeneric(lower) || repeatsAlias(key.aliases(), description)) {
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

  private static boolean repeatsAlias(@Nullable List<String> aliases, String description) {
    if (aliases != null) {
      for (int i = 0; i < aliases.size(); i++) {
        if (KeyTraits.aliasName(aliases.get(i)).equalsIgnoreCase(description)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Returns whether the whole of {@code lower} (a lower-case description) says nothing: {@code (a
   * |my |the |new |test |kms |customer managed |customer-managed )*(test|testing|key|cmk|kms|kms
   * key|kms-key|encryption key|default|description|todo|tbd|n/?a|none|null|temp|tmp|foo|bar|demo
   * |sample|example|dummy|placeholder|untitled|created by terraform|managed by terraform|key for
   * testing)s?\.?}.
   */
  static boolean isGeneric(String lower) {
    int p = 0;
    while (true) {
      for (int i = 0; i < GENERIC_NOUNS.size(); i++) {
        String noun = GENERIC_NOUNS.get(i);
        if (lower.startsWith(noun, p) && isEnding(lower, p + noun.length())) {
          return true;
        }
      }
      int next = -1;
      for (int i = 0; i < GENERIC_PREFIXES.size() && next < 0; i++) {
        String prefix = GENERIC_PREFIXES.get(i);
        if (lower.startsWith(prefix, p)) {
          next = p + prefix.length();
        }
      }
      if (next < 0) {
        return false;
      }
      p = next;
    }
  }

  // Whether s from p is empty, "s", ".", or "s.".
  private static boolean isEnding(String s, int p) {
    int n = s.length();
    if (p < n && s.charAt(p) == 's') {
      p++;
    }
    if (p < n && s.charAt(p) == '.') {
      p++;
    }
    return p == n;
  }
}
