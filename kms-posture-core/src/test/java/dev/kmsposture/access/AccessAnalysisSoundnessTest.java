package dev.kmsposture.access;

import static dev.kmsposture.testing.TestPolicies.ACCOUNT;
import static dev.kmsposture.testing.TestPolicies.ADMIN;
import static dev.kmsposture.testing.TestPolicies.ADMIN_ALLOW;
import static dev.kmsposture.testing.TestPolicies.ADMIN_SESSION;
import static dev.kmsposture.testing.TestPolicies.BREAK_GLASS;
import static dev.kmsposture.testing.TestPolicies.KEY_ARN;
import static dev.kmsposture.testing.TestPolicies.ROOT;
import static dev.kmsposture.testing.TestPolicies.ROOT_ALLOW;
import static dev.kmsposture.testing.TestPolicies.evaluate;
import static dev.kmsposture.testing.TestPolicies.getsIn;
import static dev.kmsposture.testing.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The access verdicts on the cases that once came out wrong, each checked against the evaluator: a
 * verdict that says "yes" carries a request the evaluator decides that way, and one that says "no"
 * agrees with the evaluator on the requests that matter.
 */
class AccessAnalysisSoundnessTest {
  private static AccessAnalysis analyse(KeyPolicy policy) {
    return AccessAnalysis.of(policy, ACCOUNT, KEY_ARN);
  }

  private static Decision put(KeyPolicy policy, String principal) {
    return evaluate(policy, principal, KmsAction.PUT_KEY_POLICY);
  }

  // The witness is decided the same way by a fresh evaluator (what `evaluate` prints).
  private static void assertWitnessGranted(KeyPolicy policy, Witness w) {
    Decision d = evaluate(policy, w.request());
    assertThat(getsIn(d)).as(d.explanation()).isTrue();
  }

  @Test
  void lockout_conditionalDenyWithoutAllowForTheExemptPrincipal_isLockedOut() {
    KeyPolicy p =
        policy(
            ADMIN_ALLOW,
            """
            {"Sid": "OnlyBG", "Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy",
             "Resource": "*",
             "Condition": {"ArnNotEquals":
               {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/BreakGlass"}}}""");
    AccessAnalysis a = analyse(p);

    assertThat(a.lockoutVerdict()).isEqualTo(LockoutVerdict.LOCKED_OUT);
    assertThat(a.lockoutRisk()).isTrue();
    assertThat(a.lockoutReasons())
        .anySatisfy(r -> assertThat(r.code()).isEqualTo(ReasonCode.DENIES_PUT_KEY_POLICY));
    for (String caller : List.of(ADMIN, ADMIN_SESSION, BREAK_GLASS, ROOT)) {
      assertThat(a.canPutKeyPolicy(caller).verdict())
          .as(caller)
          .isEqualTo(LockoutCheck.Verdict.FAILS);
      assertThat(put(p, caller).isAllowed()).as(caller).isFalse();
    }
  }

  @Test
  void lockout_denyToTheAccountPrincipal_isLockedOut() {
    KeyPolicy p =
        policy(
            ADMIN_ALLOW,
            ROOT_ALLOW,
            """
            {"Sid": "NoChanges", "Effect": "Deny", "Principal": {"AWS": "111122223333"},
             "Action": "kms:PutKeyPolicy", "Resource": "*"}""");

    assertThat(analyse(p).lockoutVerdict()).isEqualTo(LockoutVerdict.LOCKED_OUT);
    assertThat(analyse(p).canPutKeyPolicy(ADMIN_SESSION).passes()).isFalse();
  }

  @Test
  void lockout_notPrincipalDenyListingOnlyTheRole_isLockedOutAndTheRoleFailsTheCheck() {
    KeyPolicy p =
        policy(
            ADMIN_ALLOW,
            """
            {"Sid": "OnlyAdmin", "Effect": "Deny",
             "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
             "Action": "kms:PutKeyPolicy", "Resource": "*"}""");
    AccessAnalysis a = analyse(p);

    assertThat(a.lockoutVerdict()).isEqualTo(LockoutVerdict.LOCKED_OUT);
    assertThat(a.canPutKeyPolicy(ADMIN).passes()).isFalse();
    assertThat(put(p, ADMIN).isAllowed()).isFalse();
  }

  @Test
  void lockout_allowOnlyBeforeAPastDate_isLockedOutUnlessTheTimeIsRight() {
    KeyPolicy p =
        policy(
            """
            {"Sid": "Admin", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
             "Action": "kms:*", "Resource": "*",
             "Condition": {"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}}""");
    AccessAnalysis a = analyse(p);

    assertThat(a.lockoutVerdict()).isEqualTo(LockoutVerdict.LOCKED_OUT_UNLESS);
    assertThat(a.lockoutWitness()).isPresent();
    assertWitnessGranted(p, a.lockoutWitness().orElseThrow());
    assertThat(a.lockoutWitness().orElseThrow().request().contextValues("aws:CurrentTime"))
        .isPresent();
  }

  @Test
  void lockout_denyOnlyWhenBypassingTheCheck_isNotLockedOut() {
    KeyPolicy p =
        policy(
            ADMIN_ALLOW,
            """
            {"Sid": "NoBypass", "Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy",
             "Resource": "*",
             "Condition": {"Bool": {"kms:BypassPolicyLockoutSafetyCheck": "true"}}}""");
    AccessAnalysis a = analyse(p);

    assertThat(a.lockoutVerdict()).isEqualTo(LockoutVerdict.NOT_LOCKED_OUT);
    assertWitnessGranted(p, a.lockoutWitness().orElseThrow());
    assertThat(a.canPutKeyPolicy(ADMIN).verdict()).isEqualTo(LockoutCheck.Verdict.PASSES);
  }

  @Test
  void isPublic_guardWhoseResourceIsAnotherKey_isPublicWithAWitness() {
    KeyPolicy p =
        policy(
            ROOT_ALLOW,
            """
            {"Sid": "Shared", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
             "Resource": "*"}""",
            """
            {"Sid": "OrgOnly", "Effect": "Deny", "Principal": "*", "Action": "kms:*",
             "Resource": "arn:aws:kms:us-east-1:111122223333:key/another-key",
             "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}""");
    AccessAnalysis a = analyse(p);

    assertThat(a.publicVerdict()).isEqualTo(PublicVerdict.PUBLIC);
    assertWitnessGranted(p, a.publicWitness().orElseThrow());
    // Without the key's ARN the Deny may or may not be about this key.
    assertThat(AccessAnalysis.of(p, ACCOUNT).publicVerdict())
        .isEqualTo(PublicVerdict.POSSIBLY_PUBLIC);
    // Attached to the key the Deny names, the guard applies.
    assertThat(
            AccessAnalysis.of(p, ACCOUNT, "arn:aws:kms:us-east-1:111122223333:key/another-key")
                .publicVerdict())
        .isEqualTo(PublicVerdict.NOT_PUBLIC);
  }

  @Test
  void isPublic_wildcardPinnedBySourceArnToTheKeysAccount_isNotPublicAndNotCrossAccount() {
    KeyPolicy p =
        policy(
            ROOT_ALLOW,
            """
            {"Sid": "Trails", "Effect": "Allow", "Principal": "*", "Action": "kms:GenerateDataKey*",
             "Resource": "*",
             "Condition": {"ArnLike":
               {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}}""");
    AccessAnalysis a = analyse(p);

    assertThat(a.publicVerdict()).isEqualTo(PublicVerdict.NOT_PUBLIC);
    assertThat(a.isCrossAccount()).isFalse();
    assertThat(a.accessFromUnnamedAccounts(List.of()).isNo()).isTrue();
  }

  @Test
  void accessFromUnnamedAccounts_wildcardGuardedByDenyOutsideTheOrganization_onlyInsideIt() {
    KeyPolicy p =
        policy(
            ROOT_ALLOW,
            """
            {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
             "Resource": "*"}""",
            """
            {"Sid": "OutsideOrg", "Effect": "Deny", "Principal": "*", "Action": "kms:*",
             "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}""");
    AccessAnalysis a = analyse(p);

    assertThat(a.publicVerdict()).isEqualTo(PublicVerdict.NOT_PUBLIC);
    AccessAnswer anyOrg = a.accessFromUnnamedAccounts(List.of());
    assertThat(anyOrg.isYes()).isTrue();
    assertWitnessGranted(p, anyOrg.witnessIfPresent().orElseThrow());
    assertThat(a.accessFromUnnamedAccounts(List.of("o-a1b2c3d4e5")).isNo()).isTrue();
  }

  @Test
  void rootDelegation_splitOverTwoStatements_delegatesThroughThePair() {
    KeyPolicy p =
        policy(
            """
            {"Sid": "RootAdmin", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": ["kms:PutKeyPolicy", "kms:Describe*"], "Resource": "*"}""",
            """
            {"Sid": "RootUse", "Effect": "Allow", "Principal": {"AWS": "111122223333"},
             "Action": ["kms:Decrypt"], "Resource": "*"}""");
    RootDelegation r = analyse(p).rootDelegation();

    assertThat(r.answer().isYes()).isTrue();
    assertThat(r.eachAlone()).isFalse();
    assertThat(r.statements()).containsExactly(0, 1);
    assertWitnessGranted(p, r.answer().witnessIfPresent().orElseThrow());
  }

  @Test
  void rootDelegation_restrictedToABreakGlassRole_doesNotDelegate() {
    KeyPolicy p =
        policy(
            """
            {"Sid": "BreakGlass", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*",
             "Resource": "*",
             "Condition": {"ArnEquals":
               {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/BreakGlass"}}}""");

    assertThat(analyse(p).rootDelegation().answer().isNo()).isTrue();
  }

  @Test
  void scheduleDeletionBelow_denyWithAnExtraTagCondition_letsUntaggedPrincipalsThrough() {
    KeyPolicy p =
        policy(
            ROOT_ALLOW,
            """
            {"Sid": "MinWindow", "Effect": "Deny", "Principal": "*",
             "Action": "kms:ScheduleKeyDeletion", "Resource": "*",
             "Condition": {
               "NumericLessThan": {"kms:ScheduleKeyDeletionPendingWindowInDays": "30"},
               "StringEquals": {"aws:PrincipalTag/team": "ops"}}}""");
    AccessAnswer a = analyse(p).scheduleDeletionBelow(30);

    assertThat(a.isYes()).isTrue();
    Witness w = a.witnessIfPresent().orElseThrow();
    assertWitnessGranted(p, w);
    assertThat(w.request().contextValues("kms:ScheduleKeyDeletionPendingWindowInDays"))
        .hasValueSatisfying(v -> assertThat(Integer.parseInt(v.get(0))).isLessThan(30));
  }

  @Test
  void scheduleDeletionBelow_denyForEveryone_isNo() {
    KeyPolicy p =
        policy(
            ROOT_ALLOW,
            """
            {"Sid": "MinWindow", "Effect": "Deny", "Principal": "*",
             "Action": "kms:ScheduleKeyDeletion", "Resource": "*",
             "Condition": {
               "NumericLessThan": {"kms:ScheduleKeyDeletionPendingWindowInDays": "30"}}}""");

    assertThat(analyse(p).scheduleDeletionBelow(30).isNo()).isTrue();
  }

  @Test
  void canPutKeyPolicy_denyLeftOutOfTheExactSearch_stillFindsTheRequestThatGetsPast() {
    // The NotPrincipal pattern makes the Deny's representatives incomplete, so it is left out of
    // the exact search; the caller is allowed only from 10.0.0.0/8, which the Deny's own condition
    // names. Found by AccessAnalysisProperties.
    KeyPolicy policy =
        policy(
            """
            {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/app-*"},
             "Action": "kms:*", "Resource": "*",
             "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}""",
            """
            {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": "kms:*", "Resource": "*",
             "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}""");

    LockoutCheck check = analyse(policy).canPutKeyPolicy("arn:aws:iam::111122223333:role/admin");

    assertThat(check.verdict()).isEqualTo(LockoutCheck.Verdict.PASSES_WITH_CONTEXT);
    Witness w = check.witnessIfPresent().orElseThrow();
    assertThat(w.request().contextValues("aws:SourceIp")).isPresent();
    assertWitnessGranted(policy, w);
  }

  @Test
  void canPutKeyPolicy_roleWhoseNamedSessionAloneEscapesTheDeny_possiblyFails() {
    // KMS checks the calling session; only the session named s1 is exempt from the Deny.
    KeyPolicy policy =
        policy(
            ADMIN_ALLOW,
            """
            {"Sid": "OnlyS1", "Effect": "Deny",
             "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:role/KeyAdmin",
                                      "arn:aws:sts::111122223333:assumed-role/KeyAdmin/s1"]},
             "Action": "kms:PutKeyPolicy", "Resource": "*"}""");
    AccessAnalysis a = analyse(policy);

    assertThat(a.canPutKeyPolicy(ADMIN).verdict()).isEqualTo(LockoutCheck.Verdict.POSSIBLY_FAILS);
    assertThat(a.canPutKeyPolicy("arn:aws:sts::111122223333:assumed-role/KeyAdmin/s1").verdict())
        .isEqualTo(LockoutCheck.Verdict.PASSES);
    assertThat(a.canPutKeyPolicy("arn:aws:sts::111122223333:assumed-role/KeyAdmin/s2").verdict())
        .isEqualTo(LockoutCheck.Verdict.FAILS);
    assertThat(put(policy, "arn:aws:sts::111122223333:assumed-role/KeyAdmin/s2").outcome())
        .isEqualTo(Decision.Outcome.EXPLICITLY_DENIED);
  }

  // Found by the differential property against the prover (1,000 tries): overlapping principal
  // patterns (role/Key* and *:role/Break*) made the analysis say "possibly"; the stand-ins for
  // every combination of the patterns (PrincipalRegions) make it exact.
  @Test
  void lockout_overlappingPrincipalPatterns_isDecidedExactly() {
    // given: an unconditional Deny of everything to everyone, and Allows on overlapping patterns
    KeyPolicy p =
        policy(
            """
            {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}""",
            """
            {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*",
             "Condition": {"ArnNotEquals": {"aws:PrincipalArn": "%s"}}}"""
                .formatted(BREAK_GLASS),
            """
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Key*"},
             "Action": "kms:*", "Resource": "*",
             "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Break*"}}}""");

    // when / then
    assertThat(analyse(p).lockoutVerdict()).isEqualTo(LockoutVerdict.LOCKED_OUT);
    assertThat(analyse(p).canPutKeyPolicy(BREAK_GLASS).verdict())
        .isEqualTo(LockoutCheck.Verdict.FAILS);
  }

  @Test
  void callerCheck_overlappingPatternsThatNeverAllowTheCaller_fails() {
    // given: BreakGlass matches neither Allow (role/Key*, and the exception of the other)
    KeyPolicy p =
        policy(
            """
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Key*"},
             "Action": "kms:*", "Resource": "*",
             "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Break*"}}}""",
            """
            {"Effect": "Allow", "Principal": "*", "Action": "kms:Put*", "Resource": "*",
             "Condition": {"ArnNotEquals": {"aws:PrincipalArn": "%s"},
                           "StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}}"""
                .formatted(BREAK_GLASS));

    // when
    LockoutCheck check = analyse(p).canPutKeyPolicy(BREAK_GLASS);

    // then: exact, as the evaluator says for every context
    assertThat(check.verdict()).as(check.explanation()).isEqualTo(LockoutCheck.Verdict.FAILS);
    assertThat(put(p, BREAK_GLASS).isAllowed()).isFalse();
    assertThat(analyse(p).canPutKeyPolicy(ADMIN).verdict()).isEqualTo(LockoutCheck.Verdict.PASSES);
  }

  // aws:SourceAccount comes only with requests of an AWS service principal (IAM "AWS global
  // condition context keys"): an Allow that needs it never lets a principal of the account in.
  @Test
  void lockout_allowOnlyWithSourceAccount_isLockedOut() {
    // given
    KeyPolicy p =
        policy(
            """
            {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "%s",
             "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}"""
                .formatted(KEY_ARN));

    // when / then: not "locked out unless" with a request no IAM principal sends
    assertThat(analyse(p).lockoutVerdict()).isEqualTo(LockoutVerdict.LOCKED_OUT);
    assertThat(analyse(p).canPutKeyPolicy(ADMIN).verdict()).isEqualTo(LockoutCheck.Verdict.FAILS);
  }
}
