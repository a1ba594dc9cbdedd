package dev.kmsposture.testkit.generators;

import com.google.errorprone.annotations.CheckReturnValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A source of values of {@code T}: a function of a random generator and a size, plus the edge cases
 * that a test should see before any random value.
 *
 * <p>A generator depends on no property-testing library. Run it yourself with {@link #samples(long,
 * int)}, in a JUnit 5 {@code @ParameterizedTest} with {@link KmsSource}, or in QuickTheories (which
 * adds shrinking) with {@code dev.kmsposture.testkit.quicktheories.QuickTheoriesGen}.
 *
 * <pre>{@code
 * Generator<KeyPolicy> policies = KmsGenerators.keyPolicies().withWildcardPrincipals();
 * for (KeyPolicy policy : policies.samples(42L, 200)) {
 *   assertThat(KeyPolicy.parse(policy.toJson())).isEqualTo(policy);
 * }
 * }</pre>
 *
 * <p><strong>Size</strong> runs from 0 to {@link #MAX_SIZE} and bounds how large values grow: list
 * lengths, statements per policy, keys per snapshot. Size 0 asks for the smallest values.
 *
 * <p>Generators are immutable and thread-safe; the methods that configure or combine them return
 * new generators and leave this one unchanged.
 *
 * @param <T> the type of the generated values
 * @since 0.1.0
 */
@FunctionalInterface
@CheckReturnValue
public interface Generator<T> {

  /** The largest size: at this size list lengths and counts reach their maximum. */
  int MAX_SIZE = 100;

  /** How many values in a row {@link #filter(Predicate)} may reject before it gives up. */
  int MAX_FILTER_ATTEMPTS = 1000;

  /**
   * Generates one value.
   *
   * @param random the source of randomness; the same draws give the same value
   * @param size from 0 to {@link #MAX_SIZE}: how large the value may grow
   * @return a value, never null
   */
  T generate(RandomGenerator random, int size);

  /**
   * Returns the edge cases: values a test should see before random ones (the empty list, the
   * single-element form, the largest value, {@code "*"}). Empty unless the generator was built with
   * them.
   *
   * @return the edge cases, in the order they are produced
   */
  default List<T> edgeCases() {
    return List.of();
  }

  /**
   * Returns {@code count} values: this generator's edge cases first, then random values from a
   * generator seeded with {@code seed}, with sizes growing from 1 to {@link #MAX_SIZE}. The same
   * seed and count give the same values.
   *
   * @param seed the seed of the random values
   * @param count how many values
   * @return the values, in order
   * @throws IllegalArgumentException if {@code count} is negative
   */
  default List<T> samples(long seed, int count) {
    if (count < 0) {
      throw new IllegalArgumentException(
          String.format("sample count [%d] is negative; expected 0 or more", count));
    }
    List<T> out = new ArrayList<>(count);
    for (T edge : edgeCases()) {
      if (out.size() == count) {
        return out;
      }
      out.add(edge);
    }
    RandomGenerator random = new SplittableRandom(seed);
    int randoms = count - out.size();
    for (int i = 0; i < randoms; i++) {
      int size = randoms == 1 ? MAX_SIZE : 1 + (int) ((long) i * (MAX_SIZE - 1) / (randoms - 1));
      out.add(Objects.requireNonNull(generate(random, size), "generated value"));
    }
    return out;
  }

  /**
   * Returns a generator of {@code mapper} applied to this generator's values (and edge cases).
   *
   * @param mapper the function to apply
   * @param <R> the type of the mapped values
   * @return the mapped generator
   */
  default <R> Generator<R> map(Function<? super T, ? extends R> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    Generator<T> self = this;
    List<R> edges = new ArrayList<>();
    for (T edge : edgeCases()) {
      edges.add(mapper.apply(edge));
    }
    return Generators.withEdgeCases(
        (random, size) -> mapper.apply(self.generate(random, size)), edges);
  }

  /**
   * Returns a generator that draws a value of this generator, then a value of the generator that
   * {@code mapper} makes from it: for values whose parts depend on each other. Its edge cases are
   * the edge cases of the generators made from this generator's edge cases.
   *
   * @param mapper makes the second generator from the first value
   * @param <R> the type of the values
   * @return the combined generator
   */
  default <R> Generator<R> flatMap(Function<? super T, ? extends Generator<? extends R>> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    Generator<T> self = this;
    List<R> edges = new ArrayList<>();
    for (T edge : edgeCases()) {
      for (R r : mapper.apply(edge).edgeCases()) {
        if (edges.size() < Generators.MAX_COMBINED_EDGE_CASES) {
          edges.add(r);
        }
      }
    }
    return Generators.withEdgeCases(
        (random, size) -> mapper.apply(self.generate(random, size)).generate(random, size), edges);
  }

  /**
   * Returns a generator of this generator's values that satisfy {@code predicate}. Filter rarely: a
   * predicate that rejects most values makes generation slow, and after {@link
   * #MAX_FILTER_ATTEMPTS} rejections in a row it fails.
   *
   * @param predicate the values to keep
   * @return the filtered generator
   * @throws IllegalStateException (from {@link #generate}) when {@link #MAX_FILTER_ATTEMPTS} values
   *     in a row are rejected
   */
  default Generator<T> filter(Predicate<? super T> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    Generator<T> self = this;
    List<T> edges = new ArrayList<>();
    for (T edge : edgeCases()) {
      if (predicate.test(edge)) {
        edges.add(edge);
      }
    }
    return Generators.withEdgeCases(
        (random, size) -> {
          for (int i = 0; i < MAX_FILTER_ATTEMPTS; i++) {
            T t = self.generate(random, size);
            if (predicate.test(t)) {
              return t;
            }
          }
          throw new IllegalStateException(
              String.format(
                  "filter rejected [%d] values in a row; generate the wanted values directly"
                      + " instead of filtering",
                  MAX_FILTER_ATTEMPTS));
        },
        edges);
  }

  /**
   * Returns this generator with {@code edgeCases} as its edge cases, replacing any it had.
   *
   * @param edgeCases the values to produce before random ones
   * @return the generator with the edge cases
   */
  default Generator<T> withEdgeCases(List<? extends T> edgeCases) {
    return Generators.withEdgeCases(this, List.copyOf(edgeCases));
  }

  /**
   * Returns a generator that always produces {@code value} (its one edge case).
   *
   * @param value the value
   * @param <T> the type of the value
   * @return the constant generator
   */
  static <T> Generator<T> constant(T value) {
    Objects.requireNonNull(value, "value");
    return Generators.withEdgeCases((random, size) -> value, List.of(value));
  }

  /**
   * Returns a generator that picks one of {@code values}, each equally likely; the first value is
   * its edge case.
   *
   * @param values the values to pick from
   * @param <T> the type of the values
   * @return the generator
   * @throws IllegalArgumentException if {@code values} is empty
   */
  static <T> Generator<T> elements(List<? extends T> values) {
    List<T> copy = List.copyOf(values);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("elements [] is empty; expected at least one value");
    }
    return Generators.withEdgeCases(
        (random, size) -> copy.get(random.nextInt(copy.size())), List.of(copy.get(0)));
  }

  /**
   * Returns a generator that draws from one of {@code generators}, each equally likely; its edge
   * cases are theirs, in order.
   *
   * @param generators the generators to choose from
   * @param <T> the type of the values
   * @return the generator
   * @throws IllegalArgumentException if {@code generators} is empty
   */
  static <T> Generator<T> oneOf(List<? extends Generator<? extends T>> generators) {
    List<Generator<? extends T>> copy = List.copyOf(generators);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("generators [] is empty; expected at least one");
    }
    List<T> edges = new ArrayList<>();
    for (Generator<? extends T> g : copy) {
      edges.addAll(g.edgeCases());
    }
    return Generators.withEdgeCases(
        (random, size) -> copy.get(random.nextInt(copy.size())).generate(random, size), edges);
  }

  /**
   * Returns a generator that draws from one of {@code generators}; see {@link #oneOf(List)}.
   *
   * @param generators the generators to choose from
   * @param <T> the type of the values
   * @return the generator
   */
  @SafeVarargs
  static <T> Generator<T> oneOf(Generator<? extends T>... generators) {
    List<Generator<? extends T>> list = new ArrayList<>();
    for (Generator<? extends T> g : generators) {
      list.add(Objects.requireNonNull(g, "generator"));
    }
    return oneOf(list);
  }

  /**
   * Returns a generator of integers from {@code min} to {@code max} inclusive; the edge cases are
   * {@code min}, {@code max} and, when in range, 0.
   *
   * @param min the smallest value
   * @param max the largest value
   * @return the generator
   * @throws IllegalArgumentException if {@code min > max}
   */
  static Generator<Integer> integers(int min, int max) {
    if (min > max) {
      throw new IllegalArgumentException(
          String.format("integer range [%d, %d] is empty; expected min <= max", min, max));
    }
    List<Integer> edges = new ArrayList<>(List.of(min));
    if (max != min) {
      edges.add(max);
    }
    if (min < 0 && max > 0) {
      edges.add(0);
    }
    return Generators.withEdgeCases(
        (random, size) -> (int) random.nextLong(min, (long) max + 1), edges);
  }

  /**
   * Returns a generator of {@code false} and {@code true}, equally likely.
   *
   * @return the generator
   */
  static Generator<Boolean> booleans() {
    return Generators.withEdgeCases(
        (random, size) -> random.nextBoolean(), List.of(Boolean.FALSE, Boolean.TRUE));
  }

  /**
   * Returns a generator of lists of {@code min} to {@code max} values of {@code element}; the
   * length grows with the size, reaching {@code max} at {@link #MAX_SIZE}. The edge cases are the
   * shortest list, the single-element lists of the element's edge cases, and the longest list.
   *
   * @param element the generator of the elements
   * @param min the shortest length
   * @param max the longest length
   * @param <T> the type of the elements
   * @return the generator
   * @throws IllegalArgumentException if the lengths are negative or {@code min > max}
   */
  static <T> Generator<List<T>> listsOf(Generator<T> element, int min, int max) {
    return Generators.lists(element, min, max);
  }
}
