package dev.kmsposture.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Statement;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The representative-request set of {@link AccessDiff} stays bounded as policies grow: at most
 * polynomial in what the policies name, and never over {@link AccessDiff#MAX_REQUESTS}. Counted,
 * not timed. And deciding a group of actions on one of them gives the same diff as deciding every
 * action.
 */
class AccessDiffBoundProperties {
  private static final AccountId ACCOUNT = AccountId.of(GrowingPolicies.KEY_ACCOUNT);
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:" + ACCOUNT.value() + ":key/00000000-0000-0000-0000-000000000000";

  private static Gen<GrowingPolicies.Shape> shapes(int statements, int principals, int keys) {
    return integers()
        .between(1, statements)
        .zip(
            integers().between(1, principals),
            integers().between(0, keys),
            (s, p, k) -> new int[] {s, p, k})
        .zip(
            integers().between(1, 16),
            booleans().all(),
            (spk, v, many) ->
                new GrowingPolicies.Shape(spk[0], spk[1], spk[2], v, many && spk[1] > 4));
  }

  @Test
  void plan_growingPolicies_requestSetIsPolynomialAndCapped() {
    Map<AccessDiff.Coverage, Integer> coverages = new EnumMap<>(AccessDiff.Coverage.class);
    int[] notPrincipal = new int[1];
    int[] wildcards = new int[1];
    // A fixed seed, as the other verdict properties here: the counts below check the generator's
    // reach, which a random seed can miss now and then (every bound mode in 300 draws).
    qt().withFixedSeed(20261206L)
        .withExamples(300)
        .withShrinkCycles(20)
        .forAll(shapes(120, 24, 10), integers().between(0, 1_000_000))
        .checkAssert(
            (shape, seed) -> {
              // given: two policies of the same shape
              KeyPolicy before = GrowingPolicies.policy(shape, seed);
              KeyPolicy after = GrowingPolicies.policy(shape, seed + 1L);
              List<KeyPolicy> both = List.of(before, after);

              // when
              AccessDiff.Plan plan = AccessDiff.plan(both, ACCOUNT);

              // then: A × (15E + 20) × max(512, 12K + 13), and the cap
              long named = namedValues(both);
              long keys = conditionKeys(both);
              long bound =
                  (long) AccessAnalysis.AUTHORIZABLE.size()
                      * (15 * named + 20)
                      * Math.max(AccessDiff.MAX_CONTEXTS, 12 * keys + 13);
              assertThat(plan.requestCount())
                  .as("%s: %d named values, %d condition keys", shape, named, keys)
                  .isPositive()
                  .isLessThanOrEqualTo(bound)
                  .isLessThanOrEqualTo(AccessDiff.MAX_REQUESTS);
              coverages.merge(plan.coverage, 1, Integer::sum);
              notPrincipal[0] +=
                  both.stream().anyMatch(AccessDiffBoundProperties::hasNotPrincipal) ? 1 : 0;
              wildcards[0] +=
                  both.stream().anyMatch(AccessDiffBoundProperties::hasWildcardPrincipal) ? 1 : 0;
            });
    // The generator reaches every mode of the bound, and the shapes that widen the set.
    assertThat(coverages.keySet()).containsExactlyInAnyOrder(AccessDiff.Coverage.values());
    assertThat(notPrincipal[0]).isGreaterThan(30);
    assertThat(wildcards[0]).isGreaterThan(30);
  }

  @Test
  void between_groupedActions_agreeWithEveryActionDecidedOnItsOwn() {
    qt().withExamples(20)
        .withShrinkCycles(10)
        .forAll(shapes(3, 2, 1), integers().between(0, 1_000_000))
        .checkAssert(
            (shape, seed) -> {
              GrowingPolicies.Shape small =
                  new GrowingPolicies.Shape(
                      shape.statements(), shape.principals(), shape.keys(), 2, false);
              KeyPolicy before = GrowingPolicies.policy(small, seed);
              KeyPolicy after = GrowingPolicies.policy(small, seed + 1L);

              AccessDiff grouped = AccessDiff.between(before, after, ACCOUNT, KEY_ARN, true);
              AccessDiff single = AccessDiff.between(before, after, ACCOUNT, KEY_ARN, false);

              assertThat(grouped.added()).hasSameElementsAs(single.added());
              assertThat(grouped.removed()).hasSameElementsAs(single.removed());
              assertThat(grouped.summary()).isEqualTo(single.summary());
              assertThat(grouped.requestCount()).isEqualTo(single.requestCount());
              assertThat(grouped.evaluationCount()).isLessThanOrEqualTo(single.evaluationCount());
            });
  }

  // Principal entries and condition values: what adds probes and context variants.
  private static long namedValues(List<KeyPolicy> policies) {
    long n = 0;
    for (KeyPolicy p : policies) {
      for (Statement s : p.statements()) {
        n += s.principals().size();
        for (Condition c : s.conditions()) {
          n += c.values().size();
        }
      }
    }
    return n;
  }

  private static long conditionKeys(List<KeyPolicy> policies) {
    Set<String> keys = new HashSet<>();
    for (KeyPolicy p : policies) {
      for (Statement s : p.statements()) {
        for (Condition c : s.conditions()) {
          keys.add(c.key().normalized());
        }
      }
    }
    return keys.size();
  }

  private static boolean hasNotPrincipal(KeyPolicy p) {
    return p.statements().stream().anyMatch(Statement::isNotPrincipal);
  }

  private static boolean hasWildcardPrincipal(KeyPolicy p) {
    return p.statements().stream()
        .flatMap(s -> s.principals().stream())
        .anyMatch(pr -> pr.value().contains("*"));
  }
}
