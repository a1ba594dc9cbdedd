package dev.kmsposture.access;

import static dev.kmsposture.testing.Gens.distinctLists;
import static dev.kmsposture.testing.Gens.lists;
import static dev.kmsposture.testing.Gens.oneOf;
import static dev.kmsposture.testing.Gens.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.testing.Coverage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The analysis remembers what it works out over and over (action masks per pattern, the actions of
 * each statement per mask, an action's class signature per table, the context-free request of each
 * caller and action): each remembered answer equals the answer worked out afresh, the way the
 * analysis worked it out before it remembered it.
 */
class AccessShortcutProperties {

  private static final AccountId KEY_ACCOUNT = AccountId.of(SoundnessPolicies.KEY_ACCOUNT);

  private static final List<String> PATTERNS =
      List.of(
          "*",
          "kms:*",
          "KMS:*",
          "kms:Decrypt",
          "KMS:decrypt",
          "kms:Encrypt",
          "kms:?ncrypt",
          "kms:ReEncrypt*",
          "kms:Get*",
          "kms:get*",
          "kms:List*",
          "kms:Describe*",
          "kms:*Grant*",
          "kms:Create*",
          "kms:GenerateDataKey*",
          "kms:PutKeyPolicy",
          "kms:ScheduleKeyDeletion",
          "kms:CreateKey",
          "kms:GenerateRandom",
          "kms:Unknown",
          "kms:Nothing*",
          "s3:GetObject",
          "s3:*",
          "iam:PassRole");

  private static Gen<List<KmsAction>> patterns() {
    return distinctLists(pick(PATTERNS), 0, 4)
        .map(names -> names.stream().map(KmsAction::of).toList());
  }

  // The generated policies of both generators: the analysis properties' shapes, and the soundness
  // shapes (Resource this key, another key or "*"; conditional and NotPrincipal Denies).
  private static Gen<KeyPolicy> policies() {
    return oneOf(GeneratedPolicies.policies(), new SoundnessPolicies().policies());
  }

  private static Gen<List<KmsAction>> actionSets() {
    List<KmsAction> catalog = new ArrayList<>(KmsAction.known());
    return oneOf(
        pick(
            List.copyOf(AccessTable.AUTHORIZABLE),
            List.copyOf(AccessTable.CROSS_ACCOUNT_AUTHORIZABLE),
            List.copyOf(KmsAction.cryptographic()),
            List.copyOf(KmsAction.known())),
        distinctLists(pick(catalog), 1, 12),
        lists(pick(catalog), 1, 6));
  }

  @Test
  void maskOf_rememberedPerPattern_equalsMatchingEveryCatalogAction() {
    qt().withExamples(2000)
        .forAll(patterns())
        .checkAssert(
            patterns -> {
              long fresh = ActionIndex.maskOfUncached(patterns);
              // asked twice: the first answer may be worked out, the second is remembered
              assertThat(ActionIndex.maskOf(patterns)).isEqualTo(fresh);
              assertThat(ActionIndex.maskOf(patterns)).isEqualTo(fresh);
            });
  }

  @Test
  void authorizableActions_rememberedPerMask_equalExpansionInOrder() {
    Coverage coverage = new Coverage();
    qt().withExamples(1500)
        .forAll(patterns(), pick(true, false))
        .checkAssert(
            (patterns, negated) -> {
              Statement.Builder b = Statement.builder().effect(dev.kmsposture.policy.Effect.ALLOW);
              Statement s =
                  (negated ? b.notActions(patterns) : b.actions(patterns))
                      .addResource("*")
                      .addPrincipal(dev.kmsposture.policy.Principal.everyone())
                      .build();
              Set<KmsAction> fresh = StatementView.authorizableActionsUncached(s);
              coverage.collect("empty", fresh.isEmpty());
              coverage.collect("not action", negated);
              for (int i = 0; i < 2; i++) {
                Set<KmsAction> remembered = StatementView.authorizableActions(s);
                assertThat(List.copyOf(remembered)).isEqualTo(List.copyOf(fresh));
              }
            });
    coverage.requireAbove("empty", true, 1);
    coverage.requireAbove("not action", true, 20);
  }

  @Test
  void actionClasses_rememberedSignatures_equalSignaturesComputedAfresh() {
    Coverage coverage = new Coverage();
    qt().withExamples(400)
        .forAll(policies(), lists(actionSets(), 1, 4), pick(true, false))
        .checkAssert(
            (policy, sets, otherKey) -> {
              String keyArn =
                  otherKey ? SoundnessPolicies.OTHER_KEY_ARN : SoundnessPolicies.KEY_ARN;
              AccessTable table = new AccessTable(policy, KEY_ACCOUNT, keyArn);
              for (List<KmsAction> actions : sets) {
                List<KmsAction> fresh = table.actionClassesUncached(actions);
                coverage.collect("several classes", fresh.size() > 1);
                assertThat(table.actionClasses(actions)).isEqualTo(fresh);
              }
            });
    coverage.requireAbove("several classes", true, 20);
  }

  @Test
  void probe_remembered_equalsRequestTheBuilderMakes() {
    Coverage coverage = new Coverage();
    qt().withExamples(150)
        .forAll(policies())
        .checkAssert(
            policy -> {
              AccessTable table = new AccessTable(policy, KEY_ACCOUNT, SoundnessPolicies.KEY_ARN);
              KeyAccessEvaluator evaluator = table.search.evaluator();
              for (Caller c : table.search.space().callers) {
                coverage.collect("session with role path", c.rolePath() != null);
                coverage.collect("boundary", c.boundary());
                for (KmsAction a : KmsAction.known()) {
                  AccessRequest built =
                      c.request().action(a).resource(SoundnessPolicies.KEY_ARN).build();
                  AccessRequest probe = table.search.probe(c, a);
                  assertSameRequest(probe, built);
                  assertThat(evaluator.evaluate(probe)).isEqualTo(evaluator.evaluate(built));
                  for (int i = 0; i < evaluator.statementCount(); i++) {
                    assertThat(evaluator.appliesToActionAndKey(i, probe))
                        .isEqualTo(evaluator.appliesToActionAndKey(i, built));
                    assertThat(evaluator.compiled(i).principalMatch(probe))
                        .isEqualTo(evaluator.compiled(i).principalMatch(built));
                  }
                }
              }
            });
    coverage.requireAbove("session with role path", true, 1);
    coverage.requireAbove("boundary", true, 1);
  }

  private static void assertSameRequest(AccessRequest actual, AccessRequest expected) {
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.hashCode()).isEqualTo(expected.hashCode());
    assertThat(actual.toString()).isEqualTo(expected.toString());
    assertThat(actual.action()).isSameAs(expected.action());
    assertThat(actual.actionIndex()).isEqualTo(expected.actionIndex());
    assertThat(actual.isCrossAccountAction()).isEqualTo(expected.isCrossAccountAction());
    assertThat(actual.resourceAccount()).isEqualTo(expected.resourceAccount());
    assertThat(actual.kind()).isEqualTo(expected.kind());
    assertThat(actual.account()).isEqualTo(expected.account());
    assertThat(actual.partition()).isEqualTo(expected.partition());
    assertThat(actual.callerArn()).isEqualTo(expected.callerArn());
    assertThat(actual.roleName()).isEqualTo(expected.roleName());
    assertThat(actual.roleArn()).isEqualTo(expected.roleArn());
    assertThat(actual.hasPermissionsBoundary()).isEqualTo(expected.hasPermissionsBoundary());
    assertThat(actual.rolePath()).isEqualTo(expected.rolePath());
    assertThat(actual.unknownContext()).isEqualTo(expected.unknownContext());
    for (String key :
        List.of(
            "aws:principalarn",
            "aws:principalaccount",
            "kms:calleraccount",
            "aws:principaltype",
            "aws:username",
            "aws:principalisawsservice",
            "kms:viaservice")) {
      assertThat(actual.lookupLower(key)).isEqualTo(expected.lookupLower(key));
    }
  }
}
