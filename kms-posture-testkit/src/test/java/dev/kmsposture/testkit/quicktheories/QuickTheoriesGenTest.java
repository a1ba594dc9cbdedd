package dev.kmsposture.testkit.quicktheories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.testkit.generators.Generator;
import dev.kmsposture.testkit.generators.KmsGenerators;
import org.junit.jupiter.api.Test;

class QuickTheoriesGenTest {

  @Test
  void of_keyPolicies_roundTripUnderQuickTheories() {
    qt().withExamples(200)
        .forAll(QuickTheoriesGen.of(KmsGenerators.keyPolicies().withRiskyShapes()))
        .checkAssert(p -> assertThat(KeyPolicy.parse(p.toJson())).isEqualTo(p));
  }

  @Test
  void of_failingProperty_shrinksToTheSimplestChoices() {
    // A list of three or more integers fails; the smallest such list is three zeros.
    Generator<java.util.List<Integer>> lists = Generator.listsOf(Generator.integers(0, 100), 0, 10);

    assertThatThrownBy(
            () ->
                qt().withFixedSeed(11L)
                    .withExamples(500)
                    .forAll(QuickTheoriesGen.of(lists))
                    .check(l -> l.size() < 3))
        .hasMessageMatching("(?s).*Smallest found falsifying value\\(s\\) :-\\R\\[0, 0, 0]\\R.*");
  }

  @Test
  void of_sizeOutOfRange_fails() {
    assertThatThrownBy(() -> QuickTheoriesGen.of(Generator.booleans(), 101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size [101] is out of range; expected 0 to 100");
  }
}
