package dev.kmsposture.policy;

import static dev.kmsposture.testing.Gens.frequency;
import static dev.kmsposture.testing.Gens.lists;
import static dev.kmsposture.testing.Gens.pick;
import static dev.kmsposture.testing.Gens.randoms;
import static dev.kmsposture.testing.Gens.weight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.testing.Coverage;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class KmsActionProperties {

  private static Gen<KmsAction> knownActions() {
    return pick(List.copyOf(KmsAction.known()));
  }

  // QuickTheories runs each distinct draw once, so 1000 examples over the catalog check every known
  // action (as an exhaustive run would); the coverage check below makes sure they all were.
  private static void requireEveryKnownAction(Coverage coverage) {
    for (KmsAction a : KmsAction.known()) {
      assertThat(coverage.count("action", a)).as("%s was never checked", a).isPositive();
    }
  }

  // A known action with its letters' case randomly flipped, e.g. kMs:dEcRyPt.
  private static Gen<String> knownNamesInAnyCase() {
    return knownActions()
        .zip(
            randoms(),
            (action, random) -> {
              StringBuilder b = new StringBuilder();
              for (char c : action.name().toCharArray()) {
                b.append(
                    random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
              }
              return b.toString();
            });
  }

  // Patterns such as kms:*Key*, kms:Get?ey*, *Grant, drawn from fragments of real names so that
  // they match something reasonably often; most start with kms: and end with *, as policies do.
  private static Gen<KmsAction> patterns() {
    Gen<String> fragments =
        lists(pick("Get", "Key", "Grant", "Encrypt", "Data", "List", "*", "?", "e"), 0, 3)
            .map(l -> String.join("", l));
    Gen<String> policyLike = fragments.map(f -> "kms:" + f + "*");
    Gen<String> anything = pick("kms:", "", "*", "KMS:").zip(fragments, String::concat);
    return frequency(weight(3, policyLike), weight(1, anything))
        .assuming(p -> !p.isEmpty())
        .map(KmsAction::of);
  }

  @Test
  void matches_knownAction_matchesItself() {
    Coverage coverage = new Coverage();
    qt().withExamples(1100)
        .forAll(knownActions())
        .check(
            action -> {
              coverage.collect("action", action);
              return action.matches(action);
            });
    requireEveryKnownAction(coverage);
  }

  @Test
  void matches_kmsStar_matchesEveryKnownAction() {
    Coverage coverage = new Coverage();
    qt().withExamples(1100)
        .forAll(knownActions())
        .check(
            action -> {
              coverage.collect("action", action);
              return KmsAction.of("kms:*").matches(action) && KmsAction.ANY.matches(action);
            });
    requireEveryKnownAction(coverage);
  }

  @Test
  void expand_concreteKnownName_isThatActionOnly() {
    Coverage coverage = new Coverage();
    qt().withExamples(1100)
        .forAll(knownActions())
        .checkAssert(
            action -> {
              coverage.collect("action", action);
              assertThat(KmsAction.of(action.name()).expand()).containsExactly(action);
            });
    requireEveryKnownAction(coverage);
  }

  @Test
  void canonical_anyCaseSpelling_isCatalogAction() {
    qt().withExamples(1100)
        .forAll(knownNamesInAnyCase())
        .checkAssert(
            name -> {
              KmsAction action = KmsAction.of(name);
              assertThat(action.name()).isEqualTo(name);
              assertThat(action.isKnown()).isTrue();
              assertThat(KmsAction.known()).contains(action.canonical());
              assertThat(action.canonical().matches(action)).isTrue();
              assertThat(action.accessLevel()).isEqualTo(action.canonical().accessLevel());
            });
  }

  @Test
  void expand_pattern_isExactlyTheKnownActionsItMatches() {
    Coverage coverage = new Coverage();
    qt().withExamples(1100)
        .forAll(patterns())
        .checkAssert(
            pattern -> {
              Set<KmsAction> expected = new HashSet<>();
              for (KmsAction a : KmsAction.known()) {
                if (pattern.matches(a)) {
                  expected.add(a);
                }
              }
              coverage.collect("expands to something", !expected.isEmpty());
              assertThat(pattern.expand()).containsExactlyInAnyOrderElementsOf(expected);
            });
    coverage.requireAbove("expands to something", true, 10);
  }

  @Test
  void complementOf_andExpandAll_partitionKnown() {
    qt().withExamples(1100)
        .forAll(patterns(), patterns())
        .checkAssert(
            (first, second) -> {
              // given
              List<KmsAction> patterns = List.of(first, second);
              // when
              Set<KmsAction> matched = KmsAction.expandAll(patterns);
              Set<KmsAction> rest = KmsAction.complementOf(patterns);
              // then
              Set<KmsAction> union = new HashSet<>(matched);
              union.addAll(rest);
              assertThat(union).isEqualTo(KmsAction.known());
              assertThat(Collections.disjoint(matched, rest)).isTrue();
            });
  }
}
