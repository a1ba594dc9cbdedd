package dev.kmsposture.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

class KmsActionProperties {

  @Provide
  Arbitrary<KmsAction> knownActions() {
    return Arbitraries.of(List.copyOf(KmsAction.known()));
  }

  // A known action with its letters' case randomly flipped, e.g. kMs:dEcRyPt.
  @Provide
  Arbitrary<String> knownNamesInAnyCase() {
    return Combinators.combine(knownActions(), Arbitraries.randoms())
        .as(
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
  @Provide
  Arbitrary<KmsAction> patterns() {
    Arbitrary<String> fragments =
        Arbitraries.of("Get", "Key", "Grant", "Encrypt", "Data", "List", "*", "?", "e")
            .list()
            .ofMaxSize(3)
            .map(l -> String.join("", l));
    Arbitrary<String> policyLike = fragments.map(f -> "kms:" + f + "*");
    Arbitrary<String> anything =
        Combinators.combine(Arbitraries.of("kms:", "", "*", "KMS:"), fragments).as(String::concat);
    return Arbitraries.frequencyOf(Tuple.of(3, policyLike), Tuple.of(1, anything))
        .filter(p -> !p.isEmpty())
        .map(KmsAction::of);
  }

  @Property
  boolean matches_knownAction_matchesItself(@ForAll("knownActions") KmsAction action) {
    return action.matches(action);
  }

  @Property
  boolean matches_kmsStar_matchesEveryKnownAction(@ForAll("knownActions") KmsAction action) {
    return KmsAction.of("kms:*").matches(action) && KmsAction.ANY.matches(action);
  }

  @Property
  void expand_concreteKnownName_isThatActionOnly(@ForAll("knownActions") KmsAction action) {
    assertThat(KmsAction.of(action.name()).expand()).containsExactly(action);
  }

  @Property
  void canonical_anyCaseSpelling_isCatalogAction(@ForAll("knownNamesInAnyCase") String name) {
    KmsAction action = KmsAction.of(name);
    assertThat(action.name()).isEqualTo(name);
    assertThat(action.isKnown()).isTrue();
    assertThat(KmsAction.known()).contains(action.canonical());
    assertThat(action.canonical().matches(action)).isTrue();
    assertThat(action.accessLevel()).isEqualTo(action.canonical().accessLevel());
  }

  @Property
  void expand_pattern_isExactlyTheKnownActionsItMatches(@ForAll("patterns") KmsAction pattern) {
    Set<KmsAction> expected = new HashSet<>();
    for (KmsAction a : KmsAction.known()) {
      if (pattern.matches(a)) {
        expected.add(a);
      }
    }
    Statistics.label("expands to something").collect(!expected.isEmpty());
    Statistics.label("expands to something").coverage(c -> c.check(true).percentage(p -> p > 10));
    assertThat(pattern.expand()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Property
  void complementOf_andExpandAll_partitionKnown(
      @ForAll("patterns") KmsAction first, @ForAll("patterns") KmsAction second) {
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
  }
}
