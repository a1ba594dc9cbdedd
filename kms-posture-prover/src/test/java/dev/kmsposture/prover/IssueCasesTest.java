package dev.kmsposture.prover;

import static dev.kmsposture.prover.Fixtures.ACCOUNT;
import static dev.kmsposture.prover.Fixtures.KEY;
import static dev.kmsposture.prover.Fixtures.OTHER_KEY;
import static dev.kmsposture.prover.Fixtures.ROOT_STATEMENT;
import static dev.kmsposture.prover.Fixtures.assertWitness;
import static dev.kmsposture.prover.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cases of issue 15 (each a verdict core's analysis got wrong on main), with the answer AWS
 * gives, asked of the prover; every witness is replayed through the evaluator.
 */
class IssueCasesTest {
  private final PolicyProver prover = PolicyProver.create();

  private static final String KEY_ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin";
  private static final String BREAK_GLASS = "arn:aws:iam::111122223333:role/BreakGlass";
  private static final String ADMIN_STATEMENT =
      """
      {"Sid":"Admin","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyAdmin"},\
      "Action":"kms:*","Resource":"*"}""";

  @Test
  void lockout_conditionalDenyExceptBreakGlass_nobodyCanChangeThePolicy() {
    // given: KeyAdmin is denied PutKeyPolicy, BreakGlass has no Allow, and there is no root
    // statement.
    KeyPolicy p =
        policy(
            ADMIN_STATEMENT,
            """
            {"Sid":"OnlyBG","Effect":"Deny","Principal":"*","Action":"kms:PutKeyPolicy",\
            "Resource":"*","Condition":{"ArnNotEquals":{"aws:PrincipalArn":\
            "arn:aws:iam::111122223333:role/BreakGlass"}}}""");

    // then
    assertThat(prover.accountCanPutKeyPolicy(p, KEY).kind()).isEqualTo(ProofResult.Kind.PROVED_NO);
    assertThat(prover.callerCanPutKeyPolicy(p, KEY, KEY_ADMIN, "/").kind())
        .isEqualTo(ProofResult.Kind.PROVED_NO);
    assertThat(prover.callerCanPutKeyPolicy(p, KEY, BREAK_GLASS, "/").kind())
        .isEqualTo(ProofResult.Kind.PROVED_NO);
  }

  @Test
  void lockout_conditionalDenyWithBreakGlassAllowed_breakGlassIsTheWitness() {
    // given
    KeyPolicy p =
        policy(
            ADMIN_STATEMENT,
            """
            {"Sid":"BG","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/BreakGlass"},\
            "Action":"kms:PutKeyPolicy","Resource":"*"}""",
            """
            {"Sid":"OnlyBG","Effect":"Deny","Principal":"*","Action":"kms:PutKeyPolicy",\
            "Resource":"*","Condition":{"ArnNotEquals":{"aws:PrincipalArn":\
            "arn:aws:iam::111122223333:role/BreakGlass"}}}""");

    // when
    Witness w = assertWitness(prover.accountCanPutKeyPolicy(p, KEY), p);

    // then: a session of BreakGlass (whose role path is / in its ARN)
    assertThat(w.principal()).startsWith("arn:aws:sts::111122223333:assumed-role/BreakGlass/");
    assertThat(w.rolePath()).isEqualTo("/");
  }

  @Test
  void lockout_denyToTheAccountPrincipal_coversEveryIdentityOfTheAccount() {
    // given
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            ADMIN_STATEMENT,
            """
            {"Sid":"NoChange","Effect":"Deny","Principal":{"AWS":"111122223333"},\
            "Action":"kms:PutKeyPolicy","Resource":"*"}""");

    // then
    assertThat(prover.accountCanPutKeyPolicy(p, KEY).kind()).isEqualTo(ProofResult.Kind.PROVED_NO);
  }

  @Test
  void lockout_notPrincipalDenyListingOnlyTheRole_deniesItsSessionsAndTheAccount() {
    // given: IAM "NotPrincipal": a session is exempt only when its session ARN is listed too.
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            ADMIN_STATEMENT,
            """
            {"Sid":"OnlyAdmin","Effect":"Deny","NotPrincipal":{"AWS":\
            "arn:aws:iam::111122223333:role/KeyAdmin"},"Action":"kms:PutKeyPolicy","Resource":"*"}""");

    // then: no request AWS sends gets through
    assertThat(prover.accountCanPutKeyPolicy(p, KEY).kind()).isEqualTo(ProofResult.Kind.PROVED_NO);
  }

  @Test
  void lockout_notPrincipalDenyListingOnlyTheRole_aRoleArnCallerIsOneOfItsSessionsSoStillDenied() {
    // given: the evaluator also accepts a role ARN as the caller; a role calls only through its
    // sessions, so the caller is one of them, its session name unknown. IAM "AWS JSON policy
    // elements: NotPrincipal"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html):
    // to exempt a role's sessions from a Deny, NotPrincipal must list the assumed-role session ARN
    // as well as the role ARN; the role ARN alone does not exempt them (issue 15 says so too).
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            ADMIN_STATEMENT,
            """
            {"Sid":"OnlyAdmin","Effect":"Deny","NotPrincipal":{"AWS":            "arn:aws:iam::111122223333:role/KeyAdmin"},"Action":"kms:PutKeyPolicy","Resource":"*"}""");
    PolicyProver evaluatorSpace =
        PolicyProver.builder().requestSpace(RequestSpace.EVALUATOR).build();

    // then: the role ARN as caller is denied too, and so is every request of the evaluator's space
    assertThat(evaluatorSpace.callerCanPutKeyPolicy(p, KEY, KEY_ADMIN).kind())
        .isEqualTo(ProofResult.Kind.PROVED_NO);
    assertThat(evaluatorSpace.accountCanPutKeyPolicy(p, KEY).kind())
        .isEqualTo(ProofResult.Kind.PROVED_NO);
  }

  @Test
  void lockout_notPrincipalDenyListingTheRoleAndEverySession_exemptsARoleArnCaller() {
    // given: the NotPrincipal lists the role and a pattern over every one of its sessions (a
    // partial wildcard, read as broadly as it could match), so whatever the session name, the
    // role's session is exempt
    KeyPolicy p =
        policy(
            ADMIN_STATEMENT,
            """
            {"Sid":"OnlyAdmin","Effect":"Deny","NotPrincipal":{"AWS":[            "arn:aws:iam::111122223333:role/KeyAdmin",            "arn:aws:sts::111122223333:assumed-role/KeyAdmin/*"]},            "Action":"kms:PutKeyPolicy","Resource":"*"}""");
    PolicyProver evaluatorSpace =
        PolicyProver.builder().requestSpace(RequestSpace.EVALUATOR).build();

    // when: the witness is replayed through the evaluator
    Witness w = assertWitness(evaluatorSpace.callerCanPutKeyPolicy(p, KEY, KEY_ADMIN), p);

    // then
    assertThat(w.principal()).isEqualTo(KEY_ADMIN);
    assertThat(w.allowance()).isEqualTo(Allowance.ALLOWED);
  }

  @Test
  void publicAccess_denyGuardOnAnotherKey_neverAppliesSoTheKeyIsPublic() {
    // given
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            """
            {"Sid":"Anyone","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}""",
            """
            {"Sid":"Guard","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"%s",\
            "Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"""
                .formatted(OTHER_KEY));

    // when
    Witness w = assertWitness(prover.publicAccess(p, KEY), p);

    // then
    assertThat(w.action()).isEqualTo(KmsAction.DECRYPT);
    assertThat(w.principal()).doesNotContain(ACCOUNT);
  }

  @Test
  void publicAccess_denyGuardOnThisKey_narrowsToTheOrganization() {
    // given
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            """
            {"Sid":"Anyone","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}""",
            """
            {"Sid":"Guard","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"%s",\
            "Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"""
                .formatted(KEY));

    // then: not public (only the named organization gets in), but open to its other accounts
    assertThat(prover.publicAccess(p, KEY).kind()).isEqualTo(ProofResult.Kind.PROVED_NO);
    Witness w = assertWitness(prover.externalAccess(p, KEY), p);
    assertThat(w.context()).containsEntry("aws:PrincipalOrgID", List.of("o-a1b2c3d4e5"));
  }

  @Test
  void accountCanPutKeyPolicy_rootDelegationSplitAcrossTwoStatements_isNotALockout() {
    // given
    KeyPolicy p =
        policy(
            """
            {"Sid":"Use","Effect":"Allow","Principal":{"AWS":"111122223333"},\
            "Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*"}""",
            """
            {"Sid":"Manage","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},\
            "Action":"kms:PutKeyPolicy","Resource":"*"}""");

    // then
    assertWitness(prover.accountCanPutKeyPolicy(p, KEY), p);
  }

  @Test
  void publicAccess_wildcardPinnedBySourceAccountToTheKeysAccount_isNotPublic() {
    // given: aws:SourceAccount is present only when an AWS service principal calls
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            """
            {"Sid":"Logs","Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*",\
            "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}""");

    // then
    assertThat(prover.publicAccess(p, KEY).kind()).isEqualTo(ProofResult.Kind.PROVED_NO);
    assertThat(prover.externalAccess(p, KEY).kind()).isEqualTo(ProofResult.Kind.PROVED_NO);
  }

  @Test
  void publicAccess_wildcardPinnedBySourceAccount_theEvaluatorAcceptsItFromAnyCaller() {
    // given
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            """
            {"Sid":"Logs","Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*",\
            "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}""");
    PolicyProver evaluatorSpace =
        PolicyProver.builder().requestSpace(RequestSpace.EVALUATOR).build();

    // when
    Witness w = assertWitness(evaluatorSpace.externalAccess(p, KEY), p);

    // then
    assertThat(w.context()).containsEntry("aws:SourceAccount", List.of(ACCOUNT));
  }

  @Test
  void callerCanPutKeyPolicy_callerInAnotherAccount_failsBecausePutKeyPolicyIsNotCrossAccount() {
    // given
    KeyPolicy p =
        policy(
            """
            {"Sid":"Anyone","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}""");

    // then
    assertThat(prover.callerCanPutKeyPolicy(p, KEY, "arn:aws:iam::444455556666:role/Admin").kind())
        .isEqualTo(ProofResult.Kind.PROVED_NO);
    assertWitness(
        prover.callerCanPutKeyPolicy(p, KEY, "arn:aws:iam::111122223333:user/ops/alice"), p);
  }

  @Test
  void callerCanPutKeyPolicy_accountStatement_passesThroughIamDelegation() {
    // given
    KeyPolicy p = policy(ROOT_STATEMENT);

    // when
    Witness w =
        assertWitness(
            prover.callerCanPutKeyPolicy(
                p, KEY, "arn:aws:sts::111122223333:assumed-role/Admin/alice"),
            p);

    // then
    assertThat(w.allowance()).isEqualTo(Allowance.ALLOWED_IF_IAM_ALLOWS);
    assertThat(w.rolePath()).isNull();
  }

  @Test
  void newAccess_addingAPartnerAccount_isNewAccessAndRemovingItIsNot() {
    // given
    KeyPolicy before = policy(ROOT_STATEMENT);
    KeyPolicy after =
        policy(
            ROOT_STATEMENT,
            """
            {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},\
            "Action":"kms:Decrypt","Resource":"*"}""");

    // when
    ProofResult added = prover.newAccess(before, after, KEY);

    // then
    Witness w = assertWitness(added, after);
    assertThat(w.previousAllowance()).isEqualTo(Allowance.DENIED);
    assertThat(Allowance.of(Fixtures.replay(before, w))).isEqualTo(Allowance.DENIED);
    assertThat(w.principal()).contains("444455556666");
    assertThat(prover.newAccess(after, before, KEY).kind()).isEqualTo(ProofResult.Kind.PROVED_NO);
  }

  @Test
  void newAccess_sameMeaningDifferentSpelling_isNotNewAccess() {
    // given
    KeyPolicy before = policy(ROOT_STATEMENT);
    KeyPolicy after =
        policy(
            """
            {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["kms:*"],\
            "Resource":["%s"]}"""
                .formatted(KEY));

    // then
    assertThat(prover.newAccess(before, after, KEY).kind()).isEqualTo(ProofResult.Kind.PROVED_NO);
    assertThat(prover.newAccess(after, before, KEY).kind()).isEqualTo(ProofResult.Kind.PROVED_NO);
  }
}
