package dev.kmsposture.access;

import static dev.kmsposture.testing.Gens.frequency;
import static dev.kmsposture.testing.Gens.lists;
import static dev.kmsposture.testing.Gens.pick;
import static dev.kmsposture.testing.Gens.weight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.testing.Coverage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

class AccessAnalysisProperties {

  static final AccountId KEY_ACCOUNT = AccountId.of(GeneratedPolicies.KEY_ACCOUNT);
  static final String KEY_ARN =
      "arn:aws:kms:us-east-1:"
          + GeneratedPolicies.KEY_ACCOUNT
          + ":key/00000000-0000-0000-0000-000000000000";

  static Gen<KeyPolicy> policies() {
    return GeneratedPolicies.policies();
  }

  static Gen<Map<String, List<String>>> unrelatedContexts() {
    return GeneratedPolicies.unrelatedContexts();
  }

  static Gen<Map<String, List<String>>> contexts() {
    return GeneratedPolicies.contexts();
  }

  static Gen<String> callers() {
    return GeneratedPolicies.callers();
  }

  static Gen<KmsAction> actions() {
    return GeneratedPolicies.requestActions();
  }

  static Gen<Pair<KeyPolicy, KeyPolicy>> policyChanges() {
    return GeneratedPolicies.policyChanges();
  }

  static Gen<List<AccessRequest>> requests() {
    return lists(callers().zip(actions(), contexts(), AccessAnalysisProperties::request), 1, 30);
  }

  static Gen<String> strangers() {
    return pick(
        "arn:aws:iam::" + GeneratedPolicies.FRESH_ACCOUNT + ":role/stranger",
        "arn:aws:iam::" + GeneratedPolicies.FRESH_ACCOUNT + ":role/x",
        "arn:aws:iam::" + GeneratedPolicies.FRESH_ACCOUNT + ":user/stranger");
  }

  static Gen<KmsAction> crossAccountActions() {
    return pick(
        KmsAction.DECRYPT, KmsAction.ENCRYPT, KmsAction.DESCRIBE_KEY, KmsAction.CREATE_GRANT);
  }

  static AccessRequest request(String principal, KmsAction action, Map<String, List<String>> ctx) {
    AccessRequest.Builder b = AccessRequest.builder().principal(principal).action(action);
    ctx.forEach(b::putContext);
    return b.resource(KEY_ARN).build();
  }

  static Decision evaluate(KeyPolicy policy, AccessRequest request) {
    return KeyAccessEvaluator.builder().keyPolicy(policy).keyArn(KEY_ARN).build().evaluate(request);
  }

  @Nested
  class Public {

    // The evaluator and isPublic() agree: a principal in an account no policy names, with a
    // context that pins no named account, organization or network, gets access from the key
    // policy (allowed, or left to its own IAM policies) only if the policy is public.
    @Test
    void stranger_grantedByKeyPolicy_onlyWhenPublic() {
      Coverage coverage = new Coverage();
      qt().withExamples(1100)
          .forAll(policies(), strangers(), crossAccountActions(), unrelatedContexts())
          .checkAssert(
              (policy, stranger, action, context) -> {
                AccessAnalysis analysis = AccessAnalysis.of(policy, KEY_ACCOUNT);
                Decision decision = evaluate(policy, request(stranger, action, context));
                boolean granted = AccessDiff.level(decision) > 0;
                coverage.collect("public", analysis.isPublic());
                coverage.collect("stranger granted", granted);
                if (granted) {
                  assertThat(analysis.isPublic())
                      .as(
                          "the evaluator grants %s to %s (%s) but isPublic() is false; reasons %s;"
                              + " policy %s",
                          action,
                          stranger,
                          decision.explanation(),
                          analysis.publicReasons(),
                          policy)
                      .isTrue();
                }
              });
      // The generator must keep producing both verdicts, and strangers the key policy lets in.
      coverage.requireAtLeast("public", true, 10);
      coverage.requireAtLeast("public", false, 10);
      coverage.requireAtLeast("stranger granted", true, 3);
    }

    @Test
    void isPublic_addingDenyStatement_neverMakesPublic() {
      qt().withExamples(330)
          .forAll(policies(), policies())
          .checkAssert(
              (policy, denies) -> {
                List<Statement> statements = new ArrayList<>(policy.statements());
                for (Statement s : denies.statements()) {
                  statements.add(s.toBuilder().effect(dev.kmsposture.policy.Effect.DENY).build());
                }
                KeyPolicy withDenies = policy.toBuilder().statements(statements).build();

                boolean before = AccessAnalysis.of(policy, KEY_ACCOUNT).isPublic();
                boolean after = AccessAnalysis.of(withDenies, KEY_ACCOUNT).isPublic();

                if (after) {
                  assertThat(before).as("adding Deny statements made %s public", policy).isTrue();
                }
              });
    }
  }

  @Nested
  class Lockout {

    Gen<String> keyAccountCallers() {
      return pick(
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":root",
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":role/admin",
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":role/team/app",
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":role/app-7",
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":role/x",
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":user/alice",
          "arn:aws:sts::" + GeneratedPolicies.KEY_ACCOUNT + ":assumed-role/admin/s1",
          "arn:aws:sts::" + GeneratedPolicies.KEY_ACCOUNT + ":assumed-role/other/s1");
    }

    /**
     * A policy and a caller in the key's account: half the time one the policy itself names (in
     * Principal or NotPrincipal), where the lockout verdicts are decided, else any of {@link
     * #keyAccountCallers()}.
     */
    Gen<Pair<KeyPolicy, String>> policiesAndCallers() {
      return policies()
          .flatMap(
              policy -> {
                List<String> named = new ArrayList<>();
                for (Statement s : policy.statements()) {
                  for (Principal p : s.principals()) {
                    if (p instanceof Principal.Aws aws
                        && aws.value().contains(":" + GeneratedPolicies.KEY_ACCOUNT + ":")
                        && !aws.value().contains("*")) {
                      named.add(aws.value());
                    }
                  }
                }
                Gen<String> callers =
                    named.isEmpty()
                        ? keyAccountCallers()
                        : frequency(weight(1, pick(named)), weight(1, keyAccountCallers()));
                return callers.map(caller -> Pair.of(policy, caller));
              });
    }

    // KMS's lockout check reads conditions as possibly met, so whenever the evaluator lets the
    // caller (or its account's IAM) call PutKeyPolicy in some context, the check passes.
    // 5,000 examples: with the NotPrincipal fix of the session check taken out again, about one
    // run in three of 1,100 examples found it, nineteen in twenty of 5,000 do.
    @Test
    void canPutKeyPolicy_evaluatorGrantsPutKeyPolicy_checkPasses() {
      Coverage coverage = new Coverage();
      qt().withExamples(5000)
          .forAll(policiesAndCallers(), contexts())
          .checkAssert(
              (policyAndCaller, context) -> {
                KeyPolicy policy = policyAndCaller._1;
                String caller = policyAndCaller._2;
                Decision decision =
                    evaluate(policy, request(caller, KmsAction.PUT_KEY_POLICY, context));
                LockoutCheck check = AccessAnalysis.of(policy, KEY_ACCOUNT).canPutKeyPolicy(caller);
                coverage.collect("evaluator grants", AccessDiff.level(decision) > 0);
                if (AccessDiff.level(decision) > 0) {
                  assertThat(check.passes())
                      .as(
                          "evaluator: %s; check: %s; policy %s",
                          decision.explanation(), check, policy)
                      .isTrue();
                }
              });
      coverage.requireAtLeast("evaluator grants", true, 10);
    }

    // Lockout risk means nobody can change the policy: the evaluator agrees for every caller.
    @Test
    void lockoutRisk_evaluatorGrantsPutKeyPolicyToNobody() {
      Coverage coverage = new Coverage();
      qt().withExamples(550)
          .forAll(policies(), keyAccountCallers(), contexts())
          .checkAssert(
              (policy, caller, context) -> {
                AccessAnalysis analysis = AccessAnalysis.of(policy, KEY_ACCOUNT);
                coverage.collect("lockout risk", analysis.lockoutRisk());
                if (analysis.lockoutRisk()) {
                  Decision decision =
                      evaluate(policy, request(caller, KmsAction.PUT_KEY_POLICY, context));
                  assertThat(AccessDiff.level(decision))
                      .as("lockoutRisk(), but %s; policy %s", decision.explanation(), policy)
                      .isZero();
                }
              });
      coverage.requireAtLeast("lockout risk", true, 5);
    }
  }

  @Nested
  class Diff {

    @Test
    void between_policyAndItself_isEmpty() {
      qt().withExamples(28)
          .forAll(policies())
          .checkAssert(
              policy -> {
                AccessDiff diff = AccessDiff.between(policy, policy, KEY_ACCOUNT);

                assertThat(diff.isEmpty()).as("%s", diff.summary()).isTrue();
              });
    }

    // A diff that reports no new access is never contradicted by the evaluator: for any request,
    // the new policy grants no more than the old.
    @Test
    void between_noNewAccess_evaluatorAgreesOnGeneratedRequests() {
      Coverage coverage = new Coverage();
      qt().withExamples(55)
          .forAll(policyChanges(), requests())
          .checkAssert(
              (change, requests) -> {
                KeyPolicy oldPolicy = change._1;
                KeyPolicy newPolicy = change._2;
                AccessDiff diff = AccessDiff.between(oldPolicy, newPolicy, KEY_ACCOUNT);
                coverage.collect("grants new access", diff.grantsNewAccess());
                if (diff.grantsNewAccess()) {
                  return;
                }
                for (AccessRequest request : requests) {
                  Decision before = evaluate(oldPolicy, request);
                  Decision after = evaluate(newPolicy, request);

                  assertThat(AccessDiff.level(after))
                      .as(
                          "diff says no new access, but %s: old %s, new %s; old policy %s, new"
                              + " policy %s",
                          request, before.explanation(), after.explanation(), oldPolicy, newPolicy)
                      .isLessThanOrEqualTo(AccessDiff.level(before));
                }
              });
      coverage.requireAtLeast("grants new access", false, 20);
    }

    // Every change the diff calls added is a gain and every change it calls removed a loss.
    @Test
    void between_changes_classifiedByDirection() {
      qt().withExamples(22)
          .forAll(policyChanges())
          .checkAssert(
              change -> {
                AccessDiff diff = AccessDiff.between(change._1, change._2, KEY_ACCOUNT);

                assertThat(diff.added()).allSatisfy(c -> assertThat(c.isGain()).isTrue());
                assertThat(diff.removed()).allSatisfy(c -> assertThat(c.isGain()).isFalse());
              });
    }
  }
}
