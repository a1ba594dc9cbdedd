package dev.kmsposture.testkit.generators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class GeneratorTest {

  private static final Generator<Integer> DIGITS = Generator.integers(0, 9);

  @Test
  void samples_sameSeed_sameValues() {
    assertThat(DIGITS.samples(7L, 50)).isEqualTo(DIGITS.samples(7L, 50));
    assertThat(DIGITS.samples(7L, 50)).isNotEqualTo(DIGITS.samples(8L, 50));
  }

  @Test
  void samples_edgeCasesComeFirst() {
    assertThat(DIGITS.samples(1L, 40)).startsWith(0, 9).hasSize(40);
    assertThat(DIGITS.samples(1L, 1)).containsExactly(0);
  }

  @Test
  void samples_negativeCount_fails() {
    assertThatThrownBy(() -> DIGITS.samples(1L, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sample count [-1] is negative; expected 0 or more");
  }

  @Test
  void samples_sizeGrowsToTheMaximum() {
    Generator<Integer> sizes = (random, size) -> size;
    List<Integer> drawn = sizes.samples(3L, 100);
    assertThat(drawn.get(0)).isEqualTo(1);
    assertThat(drawn.get(99)).isEqualTo(Generator.MAX_SIZE);
    assertThat(drawn).isSorted();
  }

  @Test
  void map_appliesToValuesAndEdgeCases() {
    Generator<String> text = DIGITS.map(i -> "#" + i);
    assertThat(text.edgeCases()).containsExactly("#0", "#9");
    assertThat(text.samples(2L, 30)).allMatch(s -> s.matches("#[0-9]"));
  }

  @Test
  void flatMap_secondValueDependsOnTheFirst() {
    Generator<List<Integer>> pairs =
        Generator.integers(1, 5).flatMap(n -> Generator.integers(0, n).map(k -> List.of(n, k)));
    assertThat(pairs.samples(4L, 200)).allMatch(p -> p.get(1) <= p.get(0));
    assertThat(pairs.edgeCases()).contains(List.of(1, 0), List.of(5, 5));
  }

  @Test
  void filter_keepsMatchingValuesAndEdgeCases() {
    Generator<Integer> even = DIGITS.filter(i -> i % 2 == 0);
    assertThat(even.edgeCases()).containsExactly(0);
    assertThat(even.samples(5L, 100)).allMatch(i -> i % 2 == 0);
  }

  @Test
  void filter_rejectingEverything_failsWithAdvice() {
    Generator<Integer> none = DIGITS.filter(i -> i > 100);
    RandomGenerator random = new SplittableRandom(1L);
    assertThatThrownBy(() -> none.generate(random, 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "filter rejected [1000] values in a row; generate the wanted values directly instead"
                + " of filtering");
  }

  @Test
  void oneOf_drawsFromEveryGenerator() {
    Generator<String> g =
        Generator.oneOf(Generator.constant("a"), Generator.constant("b"), Generator.constant("c"));
    assertThat(g.edgeCases()).containsExactly("a", "b", "c");
    assertThat(g.samples(6L, 60).subList(3, 60)).contains("a", "b", "c");
  }

  @Test
  void oneOf_noGenerator_fails() {
    assertThatThrownBy(() -> Generator.oneOf(List.<Generator<String>>of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("generators [] is empty; expected at least one");
  }

  @Test
  void elements_emptyList_fails() {
    assertThatThrownBy(() -> Generator.elements(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("elements [] is empty; expected at least one value");
  }

  @Test
  void integers_staysInRangeAndReachesBothEnds() {
    List<Integer> drawn = Generator.integers(-3, 3).samples(8L, 300);
    assertThat(drawn).allMatch(i -> i >= -3 && i <= 3).contains(-3, 0, 3);
    assertThat(Generator.integers(-3, 3).edgeCases()).containsExactly(-3, 3, 0);
  }

  @Test
  void integers_emptyRange_fails() {
    assertThatThrownBy(() -> Generator.integers(2, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("integer range [2, 1] is empty; expected min <= max");
  }

  @Test
  void listsOf_edgeCasesAreEmptySingleAndLongest() {
    Generator<List<Boolean>> lists = Generator.listsOf(Generator.booleans(), 0, 3);
    assertThat(lists.edgeCases())
        .containsExactly(List.of(), List.of(false), List.of(true), List.of(false, true, false));
  }

  @Test
  void listsOf_lengthGrowsWithSize() {
    Generator<List<Integer>> lists = Generator.listsOf(DIGITS, 1, 20);
    RandomGenerator random = new SplittableRandom(9L);
    for (int i = 0; i < 50; i++) {
      assertThat(lists.generate(random, 0)).hasSize(1);
      assertThat(lists.generate(random, 50)).hasSizeBetween(1, 10);
      assertThat(lists.generate(random, Generator.MAX_SIZE)).hasSizeBetween(1, 20);
    }
  }

  @Test
  void listsOf_invalidLengths_fail() {
    assertThatThrownBy(() -> Generator.listsOf(DIGITS, 3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("list lengths [3, 2] are not valid; expected 0 <= min <= max");
  }

  @Test
  void withEdgeCases_replacesTheEdgeCases() {
    Generator<Integer> g = DIGITS.withEdgeCases(List.of(5));
    assertThat(g.edgeCases()).containsExactly(5);
    assertThat(DIGITS.edgeCases()).containsExactly(0, 9);
  }
}
