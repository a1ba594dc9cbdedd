package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static dev.kmsposture.testing.TestPolicies.ADMIN;
import static dev.kmsposture.testing.TestPolicies.ADMIN_ALLOW;
import static dev.kmsposture.testing.TestPolicies.ADMIN_SESSION;
import static dev.kmsposture.testing.TestPolicies.BREAK_GLASS;
import static dev.kmsposture.testing.TestPolicies.ROOT;
import static dev.kmsposture.testing.TestPolicies.evaluate;
import static dev.kmsposture.testing.TestPolicies.json;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.access.Decision;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The false verdicts of the access rules, each as a one-key snapshot checked the way {@code
 * kms-posture check} does, next to what the evaluator decides for the same policy: the rule must
 * never pass what the evaluator refuses, nor fail what it allows.
 */
class SoundVerdictsTest {
  private static Finding only(KeyRule rule, AccountSnapshot snapshot, PostureConfig config) {
    List<Finding> findings = check(rule, snapshot, config);
    assertThat(findings).hasSize(1);
    return findings.get(0);
  }

  private static Finding lockout(String policy) {
    return only(
        new KeyPolicyLockoutRisk(),
        cmk("orders").policy(policy).snapshot(),
        PostureConfig.defaults());
  }

  // ---- lockout ---------------------------------------------------------------------------------

  static final String CONDITIONAL_DENY =
      json(
          ADMIN_ALLOW,
          """
          {"Sid": "OnlyBG", "Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy",
           "Resource": "*",
           "Condition": {"ArnNotEquals":
             {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/BreakGlass"}}}""");

  @Test
  void lockoutRisk_conditionalDenyLeavesOnlyAPrincipalWithoutAllow_fails() {
    // the evaluator refuses every caller
    for (String caller : List.of(ADMIN, ADMIN_SESSION, BREAK_GLASS, ROOT)) {
      assertThat(evaluate(CONDITIONAL_DENY, caller, KmsAction.PUT_KEY_POLICY).isAllowed())
          .as(caller)
          .isFalse();
    }

    Finding f = lockout(CONDITIONAL_DENY);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("OnlyBG");
  }

  @Test
  void lockoutRisk_denyToTheAccountPrincipal_fails() {
    String policy =
        json(
            ADMIN_ALLOW,
            """
            {"Sid": "NoPolicyChanges", "Effect": "Deny", "Principal": {"AWS": "111122223333"},
             "Action": "kms:PutKeyPolicy", "Resource": "*"}""");
    assertThat(evaluate(policy, ADMIN_SESSION, KmsAction.PUT_KEY_POLICY).isAllowed()).isFalse();

    Finding f = lockout(policy);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("NoPolicyChanges");
  }

  @Test
  void lockoutRisk_notPrincipalDenyListingOnlyTheRole_fails() {
    String policy =
        json(
            ADMIN_ALLOW,
            """
            {"Sid": "OnlyAdmin", "Effect": "Deny",
             "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
             "Action": "kms:PutKeyPolicy", "Resource": "*"}""");
    // IAM NotPrincipal: a session is exempt only when its session ARN is listed too
    assertThat(evaluate(policy, ADMIN_SESSION, KmsAction.PUT_KEY_POLICY).isAllowed()).isFalse();
    assertThat(evaluate(policy, ADMIN, KmsAction.PUT_KEY_POLICY).isAllowed()).isFalse();

    Finding f = lockout(policy);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("OnlyAdmin");
  }

  @Test
  void lockoutRisk_conditionalDenyThatTheAdminAvoids_passes() {
    String policy =
        json(
            ADMIN_ALLOW,
            """
            {"Sid": "NoBypass", "Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy",
             "Resource": "*",
             "Condition": {"Bool": {"kms:BypassPolicyLockoutSafetyCheck": "true"}}}""");

    Finding f = lockout(policy);

    assertThat(f.status()).isEqualTo(Status.PASS);
  }

  @Test
  void lockoutRisk_allowOnlyBeforeAPastDate_isNotAPass() {
    String policy =
        json(
            """
            {"Sid": "Admin", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
             "Action": "kms:*", "Resource": "*",
             "Condition": {"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}}""");

    Finding f = lockout(policy);

    assertThat(f.status()).isNotEqualTo(Status.PASS);
  }

  @Test
  void lockoutRisk_denyOnPrincipalIsAwsServiceFalse_fails() {
    // IAM "AWS global condition context keys": aws:PrincipalIsAWSService is in every signed
    // request, false unless an AWS service principal calls; so this Deny binds every IAM caller.
    String policy =
        json(
            ADMIN_ALLOW,
            """
            {"Sid": "NoIam", "Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy",
             "Resource": "*", "Condition": {"Bool": {"aws:PrincipalIsAWSService": "false"}}}""");
    for (String caller : List.of(ADMIN, ADMIN_SESSION, ROOT)) {
      Decision d = evaluate(policy, caller, KmsAction.PUT_KEY_POLICY);
      assertThat(d.outcome()).as(caller).isEqualTo(Decision.Outcome.EXPLICITLY_DENIED);
    }
    assertThat(evaluate(policy, "logs.us-east-1.amazonaws.com", KmsAction.PUT_KEY_POLICY).outcome())
        .isNotEqualTo(Decision.Outcome.EXPLICITLY_DENIED);

    Finding f = lockout(policy);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("NoIam");
  }

  // ---- public ----------------------------------------------------------------------------------

  @Test
  void keyPolicyPublic_accountPatternMatchingUnnamedAccounts_fails() {
    for (String condition :
        List.of(
            "{\"StringLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::1111222233*\"}}",
            "{\"StringLike\": {\"aws:PrincipalAccount\": \"1111222233*\"}}",
            "{\"StringLike\": {\"kms:CallerAccount\": \"11112222333?\"}}")) {
      String policy =
          json(
              """
              {"Sid": "Root", "Effect": "Allow",
               "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
               "Action": "kms:*", "Resource": "*"}""",
              "{\"Sid\": \"Near\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"},"
                  + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\": "
                  + condition
                  + "}");
      // 111122223334 is an account the policy does not name, and the pattern matches it
      assertThat(evaluate(policy, "arn:aws:iam::111122223334:root", KmsAction.DECRYPT).isAllowed())
          .as(condition)
          .isTrue();

      List<Finding> findings =
          check(
              new KeyPolicyPublic(),
              cmk("orders").policy(policy).snapshot(),
              PostureConfig.defaults());

      assertThat(findings).extracting(Finding::status).as(condition).containsExactly(Status.FAIL);
    }
  }

  @Test
  void keyPolicyPublic_denyOutsideAnAccountPattern_fails() {
    String policy =
        json(
            """
            {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": "kms:*", "Resource": "*"}""",
            """
            {"Sid": "Shared", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
             "Resource": "*"}""",
            """
            {"Sid": "Near", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
             "Condition": {"StringNotLike": {"aws:PrincipalAccount": "1111222233*"}}}""");
    assertThat(evaluate(policy, "arn:aws:iam::111122223344:root", KmsAction.DECRYPT).isAllowed())
        .isTrue();

    List<Finding> findings =
        check(
            new KeyPolicyPublic(),
            cmk("orders").policy(policy).snapshot(),
            PostureConfig.defaults());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
  }

  static final String GUARD_ON_ANOTHER_KEY =
      json(
          """
          {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
           "Action": "kms:*", "Resource": "*"}""",
          """
          {"Sid": "Shared", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
           "Resource": "*"}""",
          """
          {"Sid": "OrgOnly", "Effect": "Deny", "Principal": "*", "Action": "kms:*",
           "Resource": "arn:aws:kms:us-east-1:111122223333:key/another-key",
           "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}""");

  @Test
  void keyPolicyPublic_guardWhoseResourceIsAnotherKey_fails() {
    assertThat(
            evaluate(GUARD_ON_ANOTHER_KEY, "arn:aws:iam::999999999999:root", KmsAction.DECRYPT)
                .isAllowed())
        .isTrue();

    List<Finding> findings =
        check(
            new KeyPolicyPublic(),
            cmk("orders").policy(GUARD_ON_ANOTHER_KEY).snapshot(),
            PostureConfig.defaults());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(requireNonNull(findings.get(0).location()).place().sid()).isEqualTo("Shared");
  }

  @Test
  void keyPolicyPublic_sourceArnPinnedToOwnAccount_passes() {
    String policy =
        json(
            """
            {"Sid": "Root", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": "kms:*", "Resource": "*"}""",
            """
            {"Sid": "Trails", "Effect": "Allow", "Principal": "*", "Action": "kms:GenerateDataKey*",
             "Resource": "*",
             "Condition": {"ArnLike":
               {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}}""");

    Finding pub =
        only(
            new KeyPolicyPublic(),
            cmk("trails").policy(policy).snapshot(),
            PostureConfig.defaults());
    Finding cross =
        only(
            new CrossAccountAccessUntrusted(),
            cmk("trails").policy(policy).snapshot(),
            PostureConfig.defaults());

    assertThat(pub.status()).isEqualTo(Status.PASS);
    assertThat(cross.status()).isEqualTo(Status.PASS);
  }

  @Test
  void crossAccountAccessUntrusted_wildcardGuardedByDenyOutsideTrustedOrg_passes() {
    String policy =
        json(
            """
            {"Sid": "Root", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": "kms:*", "Resource": "*"}""",
            """
            {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
             "Resource": "*"}""",
            """
            {"Sid": "OutsideOrg", "Effect": "Deny", "Principal": "*", "Action": "kms:*",
             "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}""");
    PostureConfig config = PostureConfig.parse("trustedOrganizations: ['o-a1b2c3d4e5']");

    Finding f =
        only(new CrossAccountAccessUntrusted(), cmk("org").policy(policy).snapshot(), config);

    assertThat(f.status()).isEqualTo(Status.PASS);
  }

  // ---- root delegation -------------------------------------------------------------------------

  @Test
  void rootDelegation_splitOverTwoStatements_fails() {
    String policy =
        json(
            """
            {"Sid": "RootAdmin", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:Describe*"],
             "Resource": "*"}""",
            """
            {"Sid": "RootUse", "Effect": "Allow",
             "Principal": {"AWS": "111122223333"},
             "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
             "Resource": "*"}""");

    Finding f =
        only(
            new RootDelegationOnProductionKey(),
            cmk("prod-orders").policy(policy).snapshot(),
            PostureConfig.defaults());

    assertThat(f.status()).isEqualTo(Status.FAIL);
  }

  // ---- minimum deletion window -----------------------------------------------------------------

  private static Finding window(String policy) {
    return only(
        new MinimumDeletionWindowNotEnforced(),
        cmk("orders").policy(policy).snapshot(),
        PostureConfig.defaults());
  }

  @Test
  void minimumDeletionWindow_denyWithAnExtraCondition_fails() {
    String policy =
        PolicyRuleFixtures.rootAnd(
            """
            {"Sid": "MinWindow", "Effect": "Deny", "Principal": "*",
             "Action": "kms:ScheduleKeyDeletion", "Resource": "*",
             "Condition": {
               "NumericLessThan": {"kms:ScheduleKeyDeletionPendingWindowInDays": "30"},
               "StringEquals": {"aws:PrincipalTag/team": "ops"}}}""");

    assertThat(window(policy).status()).isEqualTo(Status.FAIL);
  }

  @Test
  void minimumDeletionWindow_denyScopedToOnePrincipal_fails() {
    String policy =
        PolicyRuleFixtures.rootAnd(
            """
            {"Sid": "MinWindow", "Effect": "Deny",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
             "Action": "kms:ScheduleKeyDeletion", "Resource": "*",
             "Condition": {
               "NumericLessThan": {"kms:ScheduleKeyDeletionPendingWindowInDays": "30"}}}""");

    assertThat(window(policy).status()).isEqualTo(Status.FAIL);
  }

  @Test
  void minimumDeletionWindow_denyForEveryone_passes() {
    String policy =
        PolicyRuleFixtures.rootAnd(
            """
            {"Sid": "MinWindow", "Effect": "Deny", "Principal": "*",
             "Action": "kms:ScheduleKeyDeletion", "Resource": "*",
             "Condition": {
               "NumericLessThan": {"kms:ScheduleKeyDeletionPendingWindowInDays": "30"}}}""");

    assertThat(window(policy).status()).isEqualTo(Status.PASS);
  }

  // ---- deletion events -------------------------------------------------------------------------

  @Test
  void deletionScheduledWithoutDisabling_scheduledCancelledAndRescheduledAfterLongDwell_passes() {
    Finding f =
        Fixtures.one(
            new DeletionScheduledWithoutDisabling(),
            """
            {"aliases": ["alias/legacy-billing"],
             "metadata": {"keyState": "PendingDeletion", "deletionDate": "2026-06-20T00:00:00Z"},
             "keyEvents": [
               {"time": "2026-02-01T00:00:00Z", "eventName": "ScheduleKeyDeletion",
                "pendingWindowInDays": 30},
               {"time": "2026-02-10T00:00:00Z", "eventName": "CancelKeyDeletion"},
               {"time": "2026-05-21T00:00:00Z", "eventName": "ScheduleKeyDeletion",
                "pendingWindowInDays": 30}]}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
  }

  @Test
  void deletionWindowTooShort_windowOmitted_readsTheApiDefaultFromTheDeletionDate() {
    Finding f =
        Fixtures.one(
            new DeletionWindowTooShort(),
            """
            {"aliases": ["alias/legacy-billing"],
             "metadata": {"keyState": "PendingDeletion", "deletionDate": "2026-06-20T00:00:00Z"},
             "keyEvents": [
               {"time": "2026-05-21T00:00:00Z", "eventName": "ScheduleKeyDeletion"}]}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("30");
  }
}
