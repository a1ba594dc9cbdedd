package dev.kmsposture.access;

import static dev.kmsposture.access.SoundnessPolicies.FRESH_ACCOUNT;
import static dev.kmsposture.access.SoundnessPolicies.KEY_ACCOUNT;
import static dev.kmsposture.access.SoundnessPolicies.KEY_ARN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.access.SoundnessPolicies.Shape;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every access verdict agrees with the evaluator on generated policies and requests, in both
 * directions: a verdict that says "no" is never contradicted by a generated request the evaluator
 * allows (the failure prints that request), and a verdict that says "yes" carries a witness the
 * evaluator allows. A verdict the analysis cannot settle ("possibly") is left out of the "no"
 * direction, and the properties check that it stays rare.
 *
 * <p>Tries: 1,000 (public), 800 (lockout), 600 (caller check), 600 (cross-account), 400 (deletion
 * window): 3,400 generated policies, each checked against 8 to 12 generated requests.
 */
class AccessVerdictProperties {
  private static final AccountId ACCOUNT = AccountId.of(KEY_ACCOUNT);

  private static KeyAccessEvaluator evaluator(KeyPolicy p) {
    return KeyAccessEvaluator.builder().keyPolicy(p).keyArn(KEY_ARN).build();
  }

  private static boolean granted(KeyAccessEvaluator e, AccessRequest r) {
    return AccessSearch.grants(e.evaluate(r));
  }

  private static String witness(KeyAccessEvaluator e, AccessRequest r) {
    return r + " -> " + e.evaluate(r).explanation();
  }

  // The shapes must keep coming: each in at least one policy in twenty.
  private static void assertShapes(SoundnessPolicies gen) {
    int policies = gen.count(Shape.POLICIES);
    assertThat(policies).isPositive();
    StringBuilder counts = new StringBuilder("generated shapes:");
    for (Shape s : Shape.values()) {
      counts.append(' ').append(s).append('=').append(gen.count(s));
    }
    System.out.println(counts);
    for (Shape s : Shape.values()) {
      assertThat(gen.count(s) * 20)
          .as("policies with shape %s: %d of %d", s, gen.count(s), policies)
          .isGreaterThanOrEqualTo(policies);
    }
  }

  @Test
  void isPublic_agreesWithTheEvaluatorOnRequestsOfUnnamedAccounts() {
    SoundnessPolicies gen = new SoundnessPolicies();
    int[] possibly = new int[1];
    int[] tried = new int[1];
    qt().withFixedSeed(20261128L)
        .withExamples(1000)
        .forAll(gen.policies(), SoundnessPolicies.lists(SoundnessPolicies.outsiderRequests(), 12))
        .checkAssert(
            (policy, requests) -> {
              tried[0]++;
              AccessAnalysis a = AccessAnalysis.of(policy, ACCOUNT, KEY_ARN);
              KeyAccessEvaluator e = evaluator(policy);
              PublicVerdict v = a.publicVerdict();
              if (v == PublicVerdict.POSSIBLY_PUBLIC) {
                possibly[0]++;
                return;
              }
              if (v.isNotPublic()) {
                for (AccessRequest r : requests) {
                  assertThat(granted(e, r))
                      .as(
                          "%s says not public, but the evaluator lets in %s; policy %s",
                          v, witness(e, r), policy)
                      .isFalse();
                }
                return;
              }
              Witness w = a.publicWitness().orElseThrow();
              AccessRequest r = w.request();
              assertThat(granted(e, r))
                  .as("public witness refused: %s; policy %s", witness(e, r), policy)
                  .isTrue();
              assertThat(
                      r.isAnonymous()
                          || FRESH_ACCOUNT.equals(r.account())
                          || r.kind() == AccessRequest.CallerKind.SERVICE)
                  .as("public witness %s is not from an unnamed account", r)
                  .isTrue();
            });
    assertShapes(gen);
    assertThat(possibly[0] * 10).as("possibly public").isLessThanOrEqualTo(tried[0]);
  }

  @Test
  void lockoutVerdict_agreesWithTheEvaluatorOnPutKeyPolicyRequests() {
    SoundnessPolicies gen = new SoundnessPolicies();
    int[] possibly = new int[1];
    int[] tried = new int[1];
    qt().withFixedSeed(20261129L)
        .withExamples(800)
        .forAll(
            gen.policies(), SoundnessPolicies.lists(SoundnessPolicies.putKeyPolicyRequests(), 12))
        .checkAssert(
            (policy, requests) -> {
              tried[0]++;
              AccessAnalysis a = AccessAnalysis.of(policy, ACCOUNT, KEY_ARN);
              KeyAccessEvaluator e = evaluator(policy);
              LockoutVerdict v = a.lockoutVerdict();
              switch (v) {
                case POSSIBLY_LOCKED_OUT -> possibly[0]++;
                case LOCKED_OUT -> {
                  for (AccessRequest r : requests) {
                    assertThat(granted(e, r))
                        .as(
                            "locked out, but the evaluator allows %s; policy %s",
                            witness(e, r), policy)
                        .isFalse();
                  }
                }
                default -> {
                  // Not locked out (or only with context): a principal of the key's account is
                  // allowed PutKeyPolicy, and the witness shows it.
                  AccessRequest r = a.lockoutWitness().orElseThrow().request();
                  assertThat(granted(e, r))
                      .as("lockout witness refused: %s; policy %s", witness(e, r), policy)
                      .isTrue();
                  assertThat(r.account()).isEqualTo(KEY_ACCOUNT);
                  assertThat(r.action()).isEqualTo(KmsAction.PUT_KEY_POLICY);
                  if (v == LockoutVerdict.NOT_LOCKED_OUT) {
                    // Only context the caller chooses; every other key is unknown.
                    assertThat(r.context().keySet())
                        .allSatisfy(
                            k ->
                                assertThat(
                                        ContextKeys.callerChosen(ContextKeys.lower(k))
                                            || ContextKeys.fixedValue(ContextKeys.lower(k)) != null)
                                    .as("witness %s needs %s", r, k)
                                    .isTrue());
                  }
                }
              }
              if (v == LockoutVerdict.NOT_LOCKED_OUT) {
                assertThat(a.lockoutRisk()).isFalse();
              }
            });
    assertShapes(gen);
    assertThat(possibly[0] * 10).as("possibly locked out").isLessThanOrEqualTo(tried[0]);
  }

  @Test
  void canPutKeyPolicy_agreesWithTheEvaluatorForTheCaller() {
    SoundnessPolicies gen = new SoundnessPolicies();
    int[] possibly = new int[1];
    int[] tried = new int[1];
    qt().withFixedSeed(20261130L)
        .withExamples(600)
        .forAll(
            gen.policies(), SoundnessPolicies.lists(SoundnessPolicies.putKeyPolicyRequests(), 8))
        .checkAssert(
            (policy, requests) -> {
              tried[0]++;
              AccessAnalysis a = AccessAnalysis.of(policy, ACCOUNT, KEY_ARN);
              KeyAccessEvaluator e = evaluator(policy);
              for (AccessRequest r : requests) {
                LockoutCheck check = a.canPutKeyPolicy(r.principal());
                switch (check.verdict()) {
                  case POSSIBLY_FAILS -> possibly[0]++;
                  case FAILS ->
                      assertThat(granted(e, r))
                          .as(
                              "the check fails, but the evaluator allows %s; policy %s",
                              witness(e, r), policy)
                          .isFalse();
                  default -> {
                    AccessRequest w = check.witnessIfPresent().orElseThrow().request();
                    assertThat(w.principal()).isEqualTo(r.principal());
                    assertThat(granted(e, w))
                        .as("check witness refused: %s; policy %s", witness(e, w), policy)
                        .isTrue();
                  }
                }
              }
            });
    assertShapes(gen);
    assertThat(possibly[0]).as("possibly failing checks").isLessThanOrEqualTo(tried[0]);
  }

  @Test
  void isCrossAccount_agreesWithTheEvaluatorOnRequestsOfOtherAccounts() {
    SoundnessPolicies gen = new SoundnessPolicies();
    qt().withFixedSeed(20261201L)
        .withExamples(600)
        .forAll(
            gen.policies(), SoundnessPolicies.lists(SoundnessPolicies.otherAccountRequests(), 12))
        .checkAssert(
            (policy, requests) -> {
              AccessAnalysis a = AccessAnalysis.of(policy, ACCOUNT, KEY_ARN);
              KeyAccessEvaluator e = evaluator(policy);
              if (!a.isCrossAccount()) {
                for (AccessRequest r : requests) {
                  assertThat(granted(e, r))
                      .as(
                          "not cross-account, but the evaluator lets in %s; policy %s",
                          witness(e, r), policy)
                      .isFalse();
                }
              }
              AccessAnswer unnamed = a.accessFromUnnamedAccounts(List.of());
              if (unnamed.isYes()) {
                AccessRequest w = unnamed.witnessIfPresent().orElseThrow().request();
                assertThat(granted(e, w))
                    .as("witness %s; policy %s", witness(e, w), policy)
                    .isTrue();
                assertThat(a.isCrossAccount()).isTrue();
              }
            });
    assertShapes(gen);
  }

  @Test
  void scheduleDeletionBelow_agreesWithTheEvaluatorOnShortWindows() {
    SoundnessPolicies gen = new SoundnessPolicies();
    qt().withFixedSeed(20261202L)
        .withExamples(400)
        .forAll(
            gen.policies(), SoundnessPolicies.lists(SoundnessPolicies.shortWindowRequests(), 10))
        .checkAssert(
            (policy, requests) -> {
              AccessAnalysis a = AccessAnalysis.of(policy, ACCOUNT, KEY_ARN);
              KeyAccessEvaluator e = evaluator(policy);
              AccessAnswer answer = a.scheduleDeletionBelow(30);
              if (answer.isNo()) {
                for (AccessRequest r : requests) {
                  assertThat(granted(e, r))
                      .as(
                          "window enforced, but the evaluator allows %s; policy %s",
                          witness(e, r), policy)
                      .isFalse();
                }
              } else if (answer.isYes()) {
                AccessRequest w = answer.witnessIfPresent().orElseThrow().request();
                assertThat(granted(e, w))
                    .as("witness %s; policy %s", witness(e, w), policy)
                    .isTrue();
                assertThat(
                        Integer.parseInt(
                            w.contextValues("kms:ScheduleKeyDeletionPendingWindowInDays")
                                .orElseThrow()
                                .get(0)))
                    .isLessThan(30);
              }
            });
    assertShapes(gen);
  }

  // Issue 15: the diff said "no new access" (exhaustive) while a federated user of the key's
  // account gained delegation to IAM; its representatives had no federated user. A diff that says
  // no new access, exhaustively, is never contradicted by a generated request of any kind of
  // caller; one that is not exhaustive says why.
  @Test
  void accessDiff_noNewAccess_agreesWithTheEvaluatorForEveryKindOfCaller() {
    SoundnessPolicies gen = new SoundnessPolicies();
    int[] exhaustiveNo = new int[1];
    qt().withFixedSeed(20261206L)
        .withExamples(300)
        .forAll(
            gen.policies(),
            gen.policies(),
            SoundnessPolicies.lists(SoundnessPolicies.anyRequests(), 12))
        .checkAssert(
            (before, after, requests) -> {
              AccessDiff diff = AccessDiff.between(before, after, ACCOUNT, KEY_ARN);
              if (diff.grantsNewAccess()) {
                AccessChange c = diff.added().get(0);
                assertThat(c.isGain()).isTrue();
                return;
              }
              if (!diff.isExhaustive()) {
                assertThat(diff.whyNotExhaustive()).isNotEmpty();
                return;
              }
              exhaustiveNo[0]++;
              KeyAccessEvaluator old = evaluator(before);
              KeyAccessEvaluator now = evaluator(after);
              for (AccessRequest r : requests) {
                assertThat(AccessDiff.level(now.evaluate(r)))
                    .as(
                        "diff says no new access, but %s -> %s; before %s after %s",
                        witness(old, r), now.evaluate(r).explanation(), before, after)
                    .isLessThanOrEqualTo(AccessDiff.level(old.evaluate(r)));
              }
            });
    assertThat(exhaustiveNo[0]).isGreaterThan(30);
  }
}
