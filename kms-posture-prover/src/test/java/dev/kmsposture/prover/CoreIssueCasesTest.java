package dev.kmsposture.prover;

import static dev.kmsposture.prover.Fixtures.KEY;
import static dev.kmsposture.prover.Fixtures.OTHER_KEY;
import static dev.kmsposture.prover.Fixtures.ROOT_STATEMENT;
import static dev.kmsposture.prover.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.prover.CoreAgreementProperties.Question;
import dev.kmsposture.prover.CoreAgreementProperties.Verdict;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's cases asked of core's analysis, with the prover as the oracle: core must agree with
 * the prover on each (before core's access analysis was rewritten to read the evaluator over the
 * whole policy, the first five were false PASSes), or say "possibly" where the prover found a
 * witness.
 */
class CoreIssueCasesTest {
  private final PolicyProver prover = PolicyProver.create();

  private static final String KEY_ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin";
  private static final String ADMIN_STATEMENT =
      """
      {"Sid":"Admin","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyAdmin"},\
      "Action":"kms:*","Resource":"*"}""";
  private static final String ONLY_BREAK_GLASS =
      """
      {"Sid":"OnlyBG","Effect":"Deny","Principal":"*","Action":"kms:PutKeyPolicy",\
      "Resource":"*","Condition":{"ArnNotEquals":{"aws:PrincipalArn":\
      "arn:aws:iam::111122223333:role/BreakGlass"}}}""";

  @Test
  void lockout_conditionalDenyExceptBreakGlass() {
    KeyPolicy p = policy(ADMIN_STATEMENT, ONLY_BREAK_GLASS);
    expectAgreement(
        Question.ACCOUNT_CAN_PUT, p, Optional.empty(), prover.accountCanPutKeyPolicy(p, KEY));
  }

  @Test
  void callerCheck_conditionalDenyExceptBreakGlass_keyAdminIsRefused() {
    KeyPolicy p = policy(ADMIN_STATEMENT, ONLY_BREAK_GLASS);
    expectAgreement(
        Question.CALLER_CAN_PUT,
        p,
        Optional.of(KEY_ADMIN),
        prover.callerCanPutKeyPolicy(p, KEY, KEY_ADMIN, "/"));
  }

  @Test
  void lockout_denyToTheAccountPrincipal() {
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            ADMIN_STATEMENT,
            """
            {"Sid":"NoChange","Effect":"Deny","Principal":{"AWS":"111122223333"},\
            "Action":"kms:PutKeyPolicy","Resource":"*"}""");
    expectAgreement(
        Question.ACCOUNT_CAN_PUT, p, Optional.empty(), prover.accountCanPutKeyPolicy(p, KEY));
  }

  @Test
  void lockout_notPrincipalDenyListingOnlyARole() {
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            ADMIN_STATEMENT,
            """
            {"Sid":"OnlyAdmin","Effect":"Deny","NotPrincipal":{"AWS":\
            "arn:aws:iam::111122223333:role/KeyAdmin"},"Action":"kms:PutKeyPolicy","Resource":"*"}""");
    expectAgreement(
        Question.ACCOUNT_CAN_PUT, p, Optional.empty(), prover.accountCanPutKeyPolicy(p, KEY));
  }

  @Test
  void public_denyGuardOnAnotherKey() {
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            """
            {"Sid":"Anyone","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}""",
            """
            {"Sid":"Guard","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"%s",\
            "Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"""
                .formatted(OTHER_KEY));
    expectAgreement(Question.PUBLIC, p, Optional.empty(), prover.publicAccess(p, KEY));
  }

  @Test
  void lockout_rootDelegationSplitAcrossTwoStatements() {
    KeyPolicy p =
        policy(
            """
            {"Sid":"Use","Effect":"Allow","Principal":{"AWS":"111122223333"},\
            "Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*"}""",
            """
            {"Sid":"Manage","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},\
            "Action":"kms:PutKeyPolicy","Resource":"*"}""");
    expectAgreement(
        Question.ACCOUNT_CAN_PUT, p, Optional.empty(), prover.accountCanPutKeyPolicy(p, KEY));
  }

  @Test
  void public_wildcardPinnedBySourceAccountToTheKeysAccount() {
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            """
            {"Sid":"Logs","Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*",\
            "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}""");
    expectAgreement(Question.PUBLIC, p, Optional.empty(), prover.publicAccess(p, KEY));
  }

  private static void expectAgreement(
      Question q, KeyPolicy p, Optional<String> caller, ProofResult proof) {
    assertThat(proof.isUnknown()).as("the prover answers %s: %s", q.text, proof).isFalse();
    Verdict core = CoreAgreementProperties.coreVerdict(q, p, caller);
    boolean agrees = CoreAgreementProperties.agrees(core, proof.isFound());
    String what =
        String.format(
            "%s%s: core says %s, the prover %s%n%s",
            q.text,
            caller.map(c -> " (caller " + c + ")").orElse(""),
            core,
            proof.isFound() ? "found " + proof.witnessIfFound().orElseThrow() : "proved no",
            p.toJson());
    assertThat(agrees).as("core disagrees with the prover: %s", what).isTrue();
  }
}
