package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.rootAnd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import org.junit.jupiter.api.Test;

/** The key-policy, access and grant rules run together through the engine. */
class PolicyRulesEngineTest {
  private static final RuleSet RULES =
      RuleSet.of(
          new KeyPolicyPublic(),
          new CrossAccountAccessUntrusted(),
          new RootDelegationOnProductionKey(),
          new KeyAdministratorsCanUseKey(),
          new CreateGrantWithoutAwsResourceCondition(),
          new UsageWithoutViaService(),
          new KeyPolicyLockoutRisk(),
          new AuditRoleCannotReadKey(),
          new GrantToUntrustedPrincipal(),
          new GrantTooBroad(),
          new KeyPolicyInvalid());

  private static final String PUBLIC_VIA_S3 =
      """
      {"Sid": "AllowS3", "Effect": "Allow", "Principal": {"AWS": "*"},
       "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
       "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}""";

  private static PostureReport check(AccountSnapshot snapshot) {
    return PostureEngine.builder()
        .ruleSet(RULES)
        .config(
            PostureConfig.parse("auditRoleArns: ['arn:aws:iam::111122223333:role/SecurityAudit']"))
        .build()
        .check(snapshot);
  }

  @Test
  void check_publicProductionKey_reportsEachProblemOnceWithRaisedPriority() {
    // given
    AccountSnapshot snapshot =
        cmk("prod-customer-pii")
            .tags("{\"Environment\": \"prod\"}")
            .policy(rootAnd(PUBLIC_VIA_S3))
            .grants("[]")
            .snapshot();

    // when
    PostureReport report = check(snapshot);

    // then
    assertThat(report.activeFailures())
        .extracting(f -> f.ruleId().value())
        .containsExactly("KeyPolicyPublic", "RootDelegationOnProductionKey");
    assertThat(report.findings())
        .allMatch(f -> f.priority() == Finding.Priority.ELEVATED)
        .noneMatch(f -> f.message().contains("this is a bug"));
    assertThat(report.findings())
        .filteredOn(f -> f.ruleId().value().equals("AuditRoleCannotReadKey"))
        .extracting(Finding::status)
        .containsExactly(Status.UNKNOWN);
  }

  @Test
  void check_sameSnapshotTwice_givesEqualReports() {
    AccountSnapshot snapshot = cmk("prod-customer-pii").policy(rootAnd(PUBLIC_VIA_S3)).snapshot();

    assertThat(check(snapshot)).isEqualTo(check(snapshot));
  }
}
