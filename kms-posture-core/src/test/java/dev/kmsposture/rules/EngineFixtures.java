package dev.kmsposture.rules;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Small rules and keys for engine tests. */
final class EngineFixtures {
  static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");
  static final String ACCOUNT = "111122223333";

  private EngineFixtures() {}

  static RuleInfo info(String id, Severity severity) {
    return RuleInfo.builder()
        .id(RuleId.of(id))
        .summary("Summary of " + id)
        .severity(severity)
        .rationale("Rationale")
        .checklistItem("Checklist item")
        .remediation(new Remediation("Fix it.", "aws kms fix --key-id <key-id>", "kms.fix()"))
        .tags(List.of("hygiene"))
        .build();
  }

  static KeyRule rule(RuleInfo info, BiFunction<KeySnapshot, RuleContext, List<Finding>> check) {
    return new KeyRule() {
      @Override
      public RuleInfo info() {
        return info;
      }

      @Override
      public List<Finding> check(KeySnapshot key, RuleContext context) {
        return check.apply(key, context);
      }
    };
  }

  /** A rule that fails every key. */
  static KeyRule failing(RuleInfo info) {
    return rule(info, (k, c) -> List.of(Finding.fail(info, k, "fails " + c.describe(k))));
  }

  /** A rule that passes every key. */
  static KeyRule passing(RuleInfo info) {
    return rule(info, (k, c) -> List.of(Finding.pass(info, k, "passes " + c.describe(k))));
  }

  static KeyMetadata metadata() {
    return TestKeys.metadata().build();
  }

  static KeySnapshot key(String id, List<String> aliases, Map<String, String> tags) {
    return KeySnapshot.builder("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + id, metadata())
        .aliases(aliases)
        .tags(tags)
        .build();
  }

  static KeySnapshot key(String id, String alias) {
    return key(id, List.of("alias/" + alias), Map.of());
  }

  static AccountSnapshot snapshot(KeySnapshot... keys) {
    return AccountSnapshot.of(ACCOUNT, NOW, List.of(keys));
  }

  static PostureReport check(RuleSet rules, AccountSnapshot snapshot) {
    return PostureEngine.builder().ruleSet(rules).build().check(snapshot);
  }
}
