package dev.kmsposture.testkit.assertj;

import static dev.kmsposture.testkit.assertj.KmsPostureAssertions.assertThat;
import static dev.kmsposture.testkit.assertj.KmsPostureAssertions.then;
import static dev.kmsposture.testkit.assertj.Policies.APP;
import static dev.kmsposture.testkit.assertj.Policies.LEAST_PRIVILEGE;
import static dev.kmsposture.testkit.assertj.Policies.PARTNER;
import static dev.kmsposture.testkit.assertj.Policies.PUBLIC;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.RotationStatus;
import dev.kmsposture.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Statement, decision, finding and report assertions, with their failure messages. */
class OtherAssertsTest {
  private static final Statement KEY_USERS = LEAST_PRIVILEGE.statement("KeyUsers").orElseThrow();
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000";

  private static Decision decide(String principal, String action) {
    return KeyAccessEvaluator.evaluate(
        LEAST_PRIVILEGE,
        AccessRequest.builder().principal(principal).action(action).resource(KEY_ARN).build());
  }

  // ---- statements

  @Test
  void statement_matchingChecks_pass() {
    assertThat(KEY_USERS).isAllow().hasPrincipal(APP).coversAction("kms:Decrypt").hasNoCondition();
    assertThat(PUBLIC.statements().get(0)).coversAction("kms:ScheduleKeyDeletion");
  }

  @Test
  void statement_isDeny_failsOnAnAllow() {
    Snapshots.assertMessage(
        "statement_isDeny", catchThrowable(() -> assertThat(KEY_USERS).isDeny()));
  }

  @Test
  void statement_hasPrincipal_failsListingThePrincipals() {
    Snapshots.assertMessage(
        "statement_hasPrincipal",
        catchThrowable(
            () -> assertThat(LEAST_PRIVILEGE).statement("KeyUsers").hasPrincipal(PARTNER)));
  }

  @Test
  void statement_coversAction_failsListingTheActions() {
    Snapshots.assertMessage(
        "statement_coversAction",
        catchThrowable(() -> assertThat(KEY_USERS).coversAction("kms:PutKeyPolicy")));
  }

  @Test
  void statement_hasCondition_failsWithoutConditions() {
    Snapshots.assertMessage(
        "statement_hasCondition",
        catchThrowable(() -> assertThat(KEY_USERS).hasCondition("StringEquals", "kms:ViaService")));
  }

  @Test
  void statement_hasNoCondition_failsListingThem() {
    Snapshots.assertMessage(
        "statement_hasNoCondition",
        catchThrowable(
            () -> assertThat(LEAST_PRIVILEGE).statement("KeyUsersViaS3").hasNoCondition()));
  }

  @Test
  void statement_returnToPolicy_withoutAPolicy_fails() {
    assertThatThrownBy(() -> assertThat(KEY_USERS).returnToPolicy())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "this statement assertion was made with assertThat(Statement), not reached from a"
                + " policy; returnToPolicy() needs assertThat(policy).statement(sid)");
  }

  // ---- decisions

  @Test
  void decision_matchingChecks_pass() {
    assertThat(decide(APP, "kms:Decrypt")).isAllowed().isDecidedByStatement("KeyUsers");
    then(decide(PARTNER, "kms:Decrypt")).isImplicitlyDenied();
    assertThat(
            KeyAccessEvaluator.evaluate(
                PUBLIC,
                AccessRequest.builder()
                    .principal("arn:aws:iam::111122223333:role/Any")
                    .action("kms:PutKeyPolicy")
                    .resource(KEY_ARN)
                    .build()))
        .restsOnIamDelegation();
  }

  @Test
  void decision_isAllowed_failsOnADenial() {
    Snapshots.assertMessage(
        "decision_isAllowed",
        catchThrowable(() -> assertThat(decide(PARTNER, "kms:Decrypt")).isAllowed()));
  }

  @Test
  void decision_isExplicitlyDenied_failsOnAnAllow() {
    Snapshots.assertMessage(
        "decision_isExplicitlyDenied",
        catchThrowable(() -> assertThat(decide(APP, "kms:Decrypt")).isExplicitlyDenied()));
  }

  @Test
  void decision_isDecidedByStatement_failsNamingTheDecidingOne() {
    Snapshots.assertMessage(
        "decision_isDecidedByStatement",
        catchThrowable(
            () ->
                assertThat(decide(APP, "kms:Decrypt")).isDecidedByStatement("KeyAdministrators")));
  }

  // ---- findings and reports

  private static KeySnapshot key(String alias, boolean rotation, String policyJson) {
    KeyMetadata metadata =
        TestKeys.metadata()
            .creationDate(Instant.parse("2026-01-01T00:00:00Z"))
            .description("data key")
            .build();
    return KeySnapshot.builder(
            "arn:aws:kms:us-east-1:111122223333:key/"
                + (rotation ? "11111111" : "22222222")
                + "-1111-4111-8111-111111111111",
            metadata)
        .aliases(List.of("alias/" + alias))
        .tags(Map.of("Environment", "dev"))
        .policy(policyJson)
        .rotation(
            rotation
                ? new RotationStatus(true, 365, null, null)
                : new RotationStatus(false, null, null, null))
        .build();
  }

  private static PostureReport report(KeySnapshot... keys) {
    return PostureEngine.builder()
        .ruleSet(
            dev.kmsposture.rules.RuleSet.of(
                KmsPostureRules.ROTATION_DISABLED, KmsPostureRules.KEY_POLICY_PUBLIC))
        .config(PostureConfig.defaults())
        .build()
        .check(
            AccountSnapshot.of(
                "111122223333", Instant.parse("2026-11-28T12:00:00Z"), List.of(keys)));
  }

  private static final PostureReport REPORT =
      report(
          key("app-data", true, LEAST_PRIVILEGE.toJson()),
          key("dev-scratch", false, LEAST_PRIVILEGE.toJson()));

  @Test
  void report_matchingChecks_pass() {
    assertThat(report(key("app-data", true, LEAST_PRIVILEGE.toJson())))
        .hasNoActiveFailuresAtLeast(Severity.OPTIONAL);
    assertThat(REPORT)
        .hasFailure("RotationDisabled")
        .forKey("dev-scratch")
        .hasRuleId("RotationDisabled")
        .hasStatus(Status.FAIL)
        .hasSeverity(Severity.CRITICAL)
        .isActiveFailure()
        .isAboutKey("dev-scratch")
        .hasMessageContaining("Rotation is disabled");
  }

  @Test
  void report_hasFailure_returnsToTheReportForMoreChecks() {
    assertThat(REPORT)
        .hasFailure("RotationDisabled")
        .returnToReport()
        .hasFailure("RotationDisabled")
        .forKey("dev-scratch")
        .isActiveFailure();
    // the report it returns to is the one asserted on: its checks still fail on it
    assertThatThrownBy(
            () ->
                assertThat(REPORT)
                    .hasFailure("RotationDisabled")
                    .returnToReport()
                    .hasFailure("KeyPolicyPublic"))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void report_hasNoActiveFailuresAtLeast_failsListingThem() {
    Snapshots.assertMessage(
        "report_hasNoActiveFailuresAtLeast",
        catchThrowable(() -> assertThat(REPORT).hasNoActiveFailuresAtLeast(Severity.RECOMMENDED)));
  }

  @Test
  void report_hasFailure_failsListingTheFailingRules() {
    Snapshots.assertMessage(
        "report_hasFailure",
        catchThrowable(() -> assertThat(REPORT).hasFailure("KeyPolicyPublic")));
  }

  @Test
  void report_hasFailureForKey_failsListingTheKeys() {
    Snapshots.assertMessage(
        "report_hasFailureForKey",
        catchThrowable(() -> assertThat(REPORT).hasFailure("RotationDisabled").forKey("app-data")));
  }

  @Test
  void finding_checks_failWithTheFinding() {
    Finding finding = REPORT.activeFailures().get(0);
    Snapshots.assertMessage(
        "finding_hasRuleId",
        catchThrowable(() -> assertThat(finding).hasRuleId("KeyPolicyPublic")));
    Snapshots.assertMessage(
        "finding_hasStatus", catchThrowable(() -> assertThat(finding).hasStatus(Status.PASS)));
    Snapshots.assertMessage(
        "finding_isAboutKey", catchThrowable(() -> then(finding).isAboutKey("app-data")));
  }

  @Test
  void assertThat_sharesItsNameWithAssertJ() {
    // Both static imports in one file: overloads resolve to ours for kms-posture values.
    org.assertj.core.api.Assertions.assertThat(List.of(1)).hasSize(1);
    assertThat(LEAST_PRIVILEGE).isNotPublic();
  }
}
