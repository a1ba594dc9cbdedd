package dev.kmsposture.aws.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.aws.permissions.ScannerPolicy;
import dev.kmsposture.policy.IdentityPolicy;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.testkit.kms.JournalEntry;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every request the key scan made, as the embedded KMS journaled it, is allowed by the policy
 * {@code kms-posture scanner-policy} prints, as the core's evaluator judges it.
 */
class ScannerPolicyKmsJournalTest {
  static final String DELEGATE =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
          + "\"arn:aws:iam::123456789012:root\"},\"Action\":\"*\",\"Resource\":\"*\"}]}";
  static final Set<String> CLOUDTRAIL =
      Set.of(
          "DescribeTrails",
          "GetTrailStatus",
          "GetEventSelectors",
          "ListEventDataStores",
          "GetEventDataStore",
          "LookupEvents");

  @Test
  void everyJournaledCallOfAScan_isAllowedByTheScannerPolicy() {
    Set<String> actions = new TreeSet<>();
    try (SeededAccount account = SeededAccount.start(2, 3)) {
      account.kms.journal().clear();
      account.scanner().build().scanWithStatistics();
      for (JournalEntry e : account.kms.journal().entries()) {
        actions.add((CLOUDTRAIL.contains(e.operation()) ? "cloudtrail:" : "kms:") + e.operation());
      }
    }
    KeyAccessEvaluator evaluator =
        KeyAccessEvaluator.builder()
            .keyPolicy(KeyPolicy.parse(DELEGATE))
            .keyArn("arn:aws:kms:us-east-1:123456789012:key/" + SeededAccount.SYMMETRIC)
            .addIdentityPolicy(
                "arn:aws:iam::123456789012:role/KmsPostureAudit",
                IdentityPolicy.parse(
                    "audit",
                    ScannerPolicy.json(
                        new ScannerPolicy.Options(false, true, false, "KmsPostureAudit"))))
            .build();

    assertThat(actions)
        .contains("kms:ListKeys", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:ListAliases");
    for (String action : actions) {
      Decision d =
          evaluator.evaluate(
              AccessRequest.builder()
                  .principal("arn:aws:sts::123456789012:assumed-role/KmsPostureAudit/scan")
                  .action(action)
                  .build());
      assertThat(d.outcome())
          .as(action + ": " + d.explanation())
          .isEqualTo(Decision.Outcome.ALLOWED);
    }
  }
}
