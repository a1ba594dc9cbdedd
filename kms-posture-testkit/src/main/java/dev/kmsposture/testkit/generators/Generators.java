package dev.kmsposture.testkit.generators;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** The generator implementations behind {@link Generator}'s factories and combinators. */
final class Generators {
  /** The most edge cases a combined generator keeps ({@code flatMap} multiplies them). */
  static final int MAX_COMBINED_EDGE_CASES = 64;

  private Generators() {}

  /** A generator with fixed edge cases in front of a random one. */
  private record WithEdgeCases<T>(Generator<T> random, List<T> edges) implements Generator<T> {
    WithEdgeCases {
      Objects.requireNonNull(random, "random");
      edges = List.copyOf(edges);
    }

    @Override
    public T generate(RandomGenerator r, int size) {
      return random.generate(r, size);
    }

    @Override
    public List<T> edgeCases() {
      return edges;
    }
  }

  static <T> Generator<T> withEdgeCases(Generator<T> random, List<T> edges) {
    Generator<T> inner = random instanceof WithEdgeCases<T> w ? w.random() : random;
    return new WithEdgeCases<>(inner, edges);
  }

  /** A weighted choice between generators. */
  record Weighted<T>(int weight, Generator<? extends T> generator) {
    Weighted {
      if (weight <= 0) {
        throw new IllegalArgumentException(
            String.format("weight [%d] is not positive; expected 1 or more", weight));
      }
      Objects.requireNonNull(generator, "generator");
    }
  }

  static <T> Weighted<T> weight(int weight, Generator<? extends T> generator) {
    return new Weighted<>(weight, generator);
  }

  /** Draws from each generator in proportion to its weight; the edge cases are all of theirs. */
  @SafeVarargs
  static <T> Generator<T> frequency(Weighted<? extends T>... choices) {
    List<Weighted<? extends T>> list = new ArrayList<>();
    for (Weighted<? extends T> w : choices) {
      list.add(w);
    }
    int total = 0;
    List<T> edges = new ArrayList<>();
    for (Weighted<? extends T> w : list) {
      total += w.weight();
      edges.addAll(w.generator().edgeCases());
    }
    int sum = total;
    return withEdgeCases(
        (random, size) -> {
          int pick = random.nextInt(sum);
          for (Weighted<? extends T> w : list) {
            pick -= w.weight();
            if (pick < 0) {
              return w.generator().generate(random, size);
            }
          }
          throw new IllegalStateException("bug in kms-posture: weighted choice fell through");
        },
        edges);
  }

  /** A length from {@code min} to the largest that {@code size} allows. */
  static int length(RandomGenerator random, int size, int min, int max) {
    int cap =
        min
            + (int)
                ((long) (max - min)
                    * Math.max(0, Math.min(size, Generator.MAX_SIZE))
                    / Generator.MAX_SIZE);
    return min + random.nextInt(cap - min + 1);
  }

  static <T> Generator<List<T>> lists(Generator<T> element, int min, int max) {
    Objects.requireNonNull(element, "element");
    if (min < 0 || min > max) {
      throw new IllegalArgumentException(
          String.format("list lengths [%d, %d] are not valid; expected 0 <= min <= max", min, max));
    }
    List<List<T>> edges = new ArrayList<>();
    List<T> elementEdges = element.edgeCases();
    if (min == 0) {
      edges.add(List.of());
    }
    if (!elementEdges.isEmpty()) {
      if (min <= 1 && max >= 1) {
        for (T e : elementEdges) {
          edges.add(List.of(e));
        }
      }
      if (max > 1) {
        List<T> longest = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
          longest.add(elementEdges.get(i % elementEdges.size()));
        }
        edges.add(List.copyOf(longest));
      }
    }
    return withEdgeCases(
        (random, size) -> {
          int n = length(random, size, min, max);
          List<T> out = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            out.add(element.generate(random, size));
          }
          return List.copyOf(out);
        },
        edges);
  }

  /** Picks one of {@code values} with a random generator (no edge cases). */
  static <T> T pick(RandomGenerator random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
