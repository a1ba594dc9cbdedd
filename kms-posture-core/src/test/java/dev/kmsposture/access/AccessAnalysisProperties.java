package dev.kmsposture.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class AccessAnalysisProperties {

  static final AccountId KEY_ACCOUNT = AccountId.of(GeneratedPolicies.KEY_ACCOUNT);
  static final String KEY_ARN =
      "arn:aws:kms:us-east-1:"
          + GeneratedPolicies.KEY_ACCOUNT
          + ":key/00000000-0000-0000-0000-000000000000";

  @Provide
  Arbitrary<KeyPolicy> policies() {
    return GeneratedPolicies.policies();
  }

  @Provide
  Arbitrary<Map<String, List<String>>> unrelatedContexts() {
    return GeneratedPolicies.unrelatedContexts();
  }

  @Provide
  Arbitrary<Map<String, List<String>>> contexts() {
    return GeneratedPolicies.contexts();
  }

  @Provide
  Arbitrary<String> callers() {
    return GeneratedPolicies.callers();
  }

  @Provide
  Arbitrary<KmsAction> actions() {
    return GeneratedPolicies.requestActions();
  }

  @Provide
  Arbitrary<Tuple.Tuple2<KeyPolicy, KeyPolicy>> policyChanges() {
    return GeneratedPolicies.policyChanges();
  }

  @Provide
  Arbitrary<List<AccessRequest>> requests() {
    return Combinators.combine(callers(), actions(), contexts())
        .as(AccessAnalysisProperties::request)
        .list()
        .ofMinSize(1)
        .ofMaxSize(30);
  }

  @Provide
  Arbitrary<String> strangers() {
    return Arbitraries.of(
        "arn:aws:iam::" + GeneratedPolicies.FRESH_ACCOUNT + ":role/stranger",
        "arn:aws:iam::" + GeneratedPolicies.FRESH_ACCOUNT + ":role/x",
        "arn:aws:iam::" + GeneratedPolicies.FRESH_ACCOUNT + ":user/stranger");
  }

  @Provide
  Arbitrary<KmsAction> crossAccountActions() {
    return Arbitraries.of(
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

  @Group
  class Public {

    // The evaluator and isPublic() agree: a principal in an account no policy names, with a
    // context that pins no named account, organization or network, gets access from the key
    // policy (allowed, or left to its own IAM policies) only if the policy is public.
    @Property(tries = 1000)
    void stranger_grantedByKeyPolicy_onlyWhenPublic(
        @ForAll("policies") KeyPolicy policy,
        @ForAll("strangers") String stranger,
        @ForAll("crossAccountActions") KmsAction action,
        @ForAll("unrelatedContexts") Map<String, List<String>> context) {
      AccessAnalysis analysis = AccessAnalysis.of(policy, KEY_ACCOUNT);
      Decision decision = evaluate(policy, request(stranger, action, context));
      boolean granted = AccessDiff.level(decision) > 0;
      Statistics.label("public").collect(analysis.isPublic());
      Statistics.label("stranger granted").collect(granted);
      // The generator must keep producing both verdicts, and strangers the key policy lets in.
      Statistics.label("public")
          .coverage(
              checker -> {
                checker.check(true).percentage(p -> p >= 10);
                checker.check(false).percentage(p -> p >= 10);
              });
      Statistics.label("stranger granted")
          .coverage(checker -> checker.check(true).percentage(p -> p >= 3));
      if (granted) {
        assertThat(analysis.isPublic())
            .as(
                "the evaluator grants %s to %s (%s) but isPublic() is false; reasons %s; policy %s",
                action, stranger, decision.explanation(), analysis.publicReasons(), policy)
            .isTrue();
      }
    }

    @Property(tries = 300)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void isPublic_addingDenyStatement_neverMakesPublic(
        @ForAll("policies") KeyPolicy policy, @ForAll("policies") KeyPolicy denies) {
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
    }
  }

  @Group
  class Lockout {

    @Provide
    Arbitrary<String> keyAccountCallers() {
      return Arbitraries.of(
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":root",
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":role/admin",
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":role/team/app",
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":role/app-7",
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":role/x",
          "arn:aws:iam::" + GeneratedPolicies.KEY_ACCOUNT + ":user/alice",
          "arn:aws:sts::" + GeneratedPolicies.KEY_ACCOUNT + ":assumed-role/admin/s1",
          "arn:aws:sts::" + GeneratedPolicies.KEY_ACCOUNT + ":assumed-role/other/s1");
    }

    // KMS's lockout check reads conditions as possibly met, so whenever the evaluator lets the
    // caller (or its account's IAM) call PutKeyPolicy in some context, the check passes.
    @Property(tries = 1000)
    void canPutKeyPolicy_evaluatorGrantsPutKeyPolicy_checkPasses(
        @ForAll("policies") KeyPolicy policy,
        @ForAll("keyAccountCallers") String caller,
        @ForAll("contexts") Map<String, List<String>> context) {
      Decision decision = evaluate(policy, request(caller, KmsAction.PUT_KEY_POLICY, context));
      LockoutCheck check = AccessAnalysis.of(policy, KEY_ACCOUNT).canPutKeyPolicy(caller);
      Statistics.label("evaluator grants").collect(AccessDiff.level(decision) > 0);
      if (AccessDiff.level(decision) > 0) {
        assertThat(check.passes())
            .as("evaluator: %s; check: %s; policy %s", decision.explanation(), check, policy)
            .isTrue();
      }
    }

    // Lockout risk means nobody can change the policy: the evaluator agrees for every caller.
    @Property(tries = 500)
    void lockoutRisk_evaluatorGrantsPutKeyPolicyToNobody(
        @ForAll("policies") KeyPolicy policy,
        @ForAll("keyAccountCallers") String caller,
        @ForAll("contexts") Map<String, List<String>> context) {
      AccessAnalysis analysis = AccessAnalysis.of(policy, KEY_ACCOUNT);
      Statistics.label("lockout risk").collect(analysis.lockoutRisk());
      if (analysis.lockoutRisk()) {
        Decision decision = evaluate(policy, request(caller, KmsAction.PUT_KEY_POLICY, context));
        assertThat(AccessDiff.level(decision))
            .as("lockoutRisk(), but %s; policy %s", decision.explanation(), policy)
            .isZero();
      }
    }
  }

  @Group
  class Diff {

    @Property(tries = 25)
    void between_policyAndItself_isEmpty(@ForAll("policies") KeyPolicy policy) {
      AccessDiff diff = AccessDiff.between(policy, policy, KEY_ACCOUNT);

      assertThat(diff.isEmpty()).as("%s", diff.summary()).isTrue();
    }

    // A diff that reports no new access is never contradicted by the evaluator: for any request,
    // the new policy grants no more than the old.
    @Property(tries = 50)
    void between_noNewAccess_evaluatorAgreesOnGeneratedRequests(
        @ForAll("policyChanges") Tuple.Tuple2<KeyPolicy, KeyPolicy> change,
        @ForAll("requests") List<AccessRequest> requests) {
      KeyPolicy oldPolicy = change.get1();
      KeyPolicy newPolicy = change.get2();
      AccessDiff diff = AccessDiff.between(oldPolicy, newPolicy, KEY_ACCOUNT);
      Statistics.label("grants new access").collect(diff.grantsNewAccess());
      if (diff.grantsNewAccess()) {
        return;
      }
      for (AccessRequest request : requests) {
        Decision before = evaluate(oldPolicy, request);
        Decision after = evaluate(newPolicy, request);

        assertThat(AccessDiff.level(after))
            .as(
                "diff says no new access, but %s: old %s, new %s; old policy %s, new policy %s",
                request, before.explanation(), after.explanation(), oldPolicy, newPolicy)
            .isLessThanOrEqualTo(AccessDiff.level(before));
      }
    }

    // Every change the diff calls added is a gain and every change it calls removed a loss.
    @Property(tries = 20)
    void between_changes_classifiedByDirection(
        @ForAll("policyChanges") Tuple.Tuple2<KeyPolicy, KeyPolicy> change) {
      AccessDiff diff = AccessDiff.between(change.get1(), change.get2(), KEY_ACCOUNT);

      assertThat(diff.added()).allSatisfy(c -> assertThat(c.isGain()).isTrue());
      assertThat(diff.removed()).allSatisfy(c -> assertThat(c.isGain()).isFalse());
    }
  }
}
