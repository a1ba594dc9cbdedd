package dev.kmsposture.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.IdentityPolicy;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The public parts of the access API that the commands and rules do not call but library users do:
 * what an analysis, a diff and an evaluator were built from, and the questions only a library user
 * asks (one named account's access, a lockout by other accounts' Allows).
 */
class AccessAccessorsTest {
  private static final AccountId ACCOUNT = AccountId.of("111122223333");
  private static final AccountId PARTNER = AccountId.of("444455556666");
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ROOT_ALLOW =
      """
      {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
       "Action": "kms:*", "Resource": "*"}""";
  private static final String PUBLIC_DECRYPT =
      """
      {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
       "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}""";
  private static final String PARTNER_IN_ORG =
      """
      {"Sid": "Partner", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt",
       "Resource": "*",
       "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}""";

  private static KeyPolicy policy(String... statements) {
    return KeyPolicy.parse(
        "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(",", statements) + "]}");
  }

  @Test
  void analysis_policy_isThePolicyAnalysed() {
    KeyPolicy p = policy(ROOT_ALLOW);

    assertThat(AccessAnalysis.of(p, ACCOUNT, KEY_ARN).policy()).isEqualTo(p);
  }

  @Test
  void accessFromAccount_partnerAllowedOnlyInsideAnOrganization_isYesUnlessItIsTrusted() {
    AccessAnalysis a = AccessAnalysis.of(policy(ROOT_ALLOW, PARTNER_IN_ORG), ACCOUNT, KEY_ARN);

    AccessAnswer untrusted = a.accessFromAccount(PARTNER, List.of());
    AccessAnswer trusted = a.accessFromAccount(PARTNER, List.of("o-a1b2c3d4e5"));
    AccessAnswer stranger = a.accessFromAccount(AccountId.of("999999999999"), List.of());

    assertThat(untrusted.isYes()).isTrue();
    Witness w = untrusted.witnessIfPresent().orElseThrow();
    assertThat(w.request().principal()).contains(PARTNER.value());
    assertThat(w.decision().isAllowed() || w.decision().delegatedToIam()).isTrue();
    // Its only members are trusted: no principal of the account outside them gets in.
    assertThat(trusted.isNo()).isTrue();
    assertThat(stranger.isNo()).isTrue();
    // The whole policy answers as its one Allow statement does.
    StatementReason partner = a.crossAccountReasons(PARTNER).get(0);
    assertThat(a.accessFromAccount(PARTNER, List.of(), partner).isYes()).isTrue();
    assertThat(partner.place().sidIfPresent()).contains("Partner");
  }

  @Test
  void lockoutOnlyOtherAccounts_putKeyPolicyOnlyForAnotherAccount_isTrue() {
    KeyPolicy others =
        policy(
            """
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Admin"},
             "Action": "kms:*", "Resource": "*"}""");
    KeyPolicy own = policy(ROOT_ALLOW);

    AccessAnalysis locked = AccessAnalysis.of(others, ACCOUNT, KEY_ARN);

    assertThat(locked.lockoutOnlyOtherAccounts()).isTrue();
    assertThat(locked.lockoutVerdict()).isEqualTo(LockoutVerdict.LOCKED_OUT);
    assertThat(AccessAnalysis.of(own, ACCOUNT, KEY_ARN).lockoutOnlyOtherAccounts()).isFalse();
  }

  @Test
  void entries_grantee_accountAndConditions() {
    AccessAnalysis a = AccessAnalysis.of(policy(ROOT_ALLOW, PUBLIC_DECRYPT), ACCOUNT, KEY_ARN);

    AccessEntry root =
        a.entries().stream()
            .filter(e -> e.grantee().kind() == Grantee.Kind.ACCOUNT)
            .findFirst()
            .orElseThrow();
    AccessEntry anyone =
        a.entries().stream()
            .filter(e -> e.grantee().kind() == Grantee.Kind.ANYONE)
            .findFirst()
            .orElseThrow();

    assertThat(root.isUnconditional()).isTrue();
    assertThat(root.grantee().account()).isEqualTo(ACCOUNT);
    assertThat(root.grantee().accountIfPresent()).contains(ACCOUNT);
    assertThat(anyone.isUnconditional()).isFalse();
    assertThat(anyone.conditions()).hasSize(1);
    assertThat(anyone.grantee().accountIfPresent()).isEmpty();
  }

  @Test
  void diff_removedAccess_keyArnAccountAndBothDecisions() {
    AccessDiff d =
        AccessDiff.between(
            policy(ROOT_ALLOW, PUBLIC_DECRYPT), policy(ROOT_ALLOW), ACCOUNT, KEY_ARN);

    assertThat(d.keyAccount()).isEqualTo(ACCOUNT);
    assertThat(d.keyArn()).isEqualTo(KEY_ARN);
    assertThat(d.addedCount()).isZero();
    assertThat(d.removedCount()).isPositive().isGreaterThanOrEqualTo(d.removed().size());
    AccessChange c = d.removed().get(0);
    assertThat(c.action()).isEqualTo(KmsAction.DECRYPT);
    assertThat(c.oldDecision().isAllowed()).isTrue();
    assertThat(c.newDecision().isAllowed()).isFalse();
  }

  @Test
  void evaluator_returnsWhatItWasBuiltFrom_identityPoliciesSortedByPrincipal() {
    KeyPolicy key = policy(ROOT_ALLOW);
    IdentityPolicy use =
        IdentityPolicy.parse(
            "use",
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}""");
    Grant grant =
        new Grant(
            "grant-1",
            null,
            "arn:aws:iam::111122223333:role/Ebs",
            null,
            List.of("Decrypt"),
            Map.of(),
            Map.of(),
            null);

    KeyAccessEvaluator e =
        KeyAccessEvaluator.builder()
            .keyPolicy(key)
            .keyArn(KEY_ARN)
            .addIdentityPolicy("arn:aws:iam::111122223333:role/Zed", use)
            .addIdentityPolicy("arn:aws:iam::111122223333:role/App", use)
            .addGrant(grant)
            .build();

    assertThat(e.keyPolicy()).isEqualTo(key);
    assertThat(e.identityPolicies().keySet())
        .containsExactly(
            "arn:aws:iam::111122223333:role/App", "arn:aws:iam::111122223333:role/Zed");
    assertThat(e.identityPolicies().get("arn:aws:iam::111122223333:role/App")).containsExactly(use);
    assertThat(e.grants()).containsExactly(grant);
  }

  @Test
  void lockoutCheck_witness_onlyWithAPass() {
    AccessAnalysis a = AccessAnalysis.of(policy(ROOT_ALLOW), ACCOUNT, KEY_ARN);

    LockoutCheck passes = a.canPutKeyPolicy("arn:aws:iam::111122223333:role/KeyAdmin");
    LockoutCheck fails = a.canPutKeyPolicy("arn:aws:iam::444455556666:role/KeyAdmin");

    assertThat(passes.passes()).isTrue();
    assertThat(Optional.ofNullable(passes.witness())).isEqualTo(passes.witnessIfPresent());
    assertThat(passes.witnessIfPresent()).isPresent();
    assertThat(fails.passes()).isFalse();
    assertThat(fails.witness()).isNull();
  }

  @Test
  void statementReason_withoutSid_hasNoSid() {
    AccessAnalysis a =
        AccessAnalysis.of(
            policy(
                ROOT_ALLOW,
                """
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                 "Action": "kms:Decrypt", "Resource": "*"}"""),
            ACCOUNT,
            KEY_ARN);

    StatementReason r = a.crossAccountReasons(PARTNER).get(0);

    assertThat(r.place().sidIfPresent()).isEmpty();
    assertThat(r.place().index()).isEqualTo(1);
  }
}
