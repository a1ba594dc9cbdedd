package dev.kmsposture.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * QuickTheories generator shapes the property tests share: weighted choice, lists with distinct
 * elements, nullable values, strings over an alphabet. Built from QuickTheories' own generators, so
 * every value shrinks through the random draws it came from.
 *
 * <p>QuickTheories runs a draw it has already run only once, so a property asks for about a tenth
 * more examples than the number of distinct cases it must check.
 */
public final class Gens {
  private Gens() {}

  /** One of {@code values}, shrinking towards the first. */
  public static <T> Gen<T> pick(List<T> values) {
    return Generate.pick(List.copyOf(values));
  }

  /** One of {@code values}, shrinking towards the first. */
  @SafeVarargs
  public static <T> Gen<T> pick(T... values) {
    List<T> list = new ArrayList<>();
    for (T v : values) {
      list.add(v);
    }
    return pick(list);
  }

  /** A weighted pair for {@link #frequency}. */
  public static <T> Pair<Integer, Gen<T>> weight(int weight, Gen<T> gen) {
    return Pair.of(weight, gen);
  }

  /** Draws from each generator in proportion to its weight. */
  @SafeVarargs
  public static <T> Gen<T> frequency(Pair<Integer, Gen<T>>... weighted) {
    List<Pair<Integer, Gen<T>>> list = new ArrayList<>();
    for (Pair<Integer, Gen<T>> w : weighted) {
      list.add(w);
    }
    return Generate.frequency(list);
  }

  /** One of the generators, equally likely. */
  @SafeVarargs
  public static <T> Gen<T> oneOf(Gen<T>... gens) {
    List<Pair<Integer, Gen<T>>> weighted = new ArrayList<>();
    for (Gen<T> g : gens) {
      weighted.add(Pair.of(1, g));
    }
    return Generate.frequency(weighted);
  }

  /** {@code null} in {@code percent} of the draws, else a value of {@code gen}. */
  public static <T> Gen<T> orNull(Gen<T> gen, int percent) {
    return Generate.range(0, 99).zip(gen, (r, v) -> r < percent ? null : v);
  }

  /** Lists of {@code min} to {@code max} elements of {@code gen}. */
  public static <T> Gen<List<T>> lists(Gen<T> gen, int min, int max) {
    return SourceDSL.lists().of(gen).ofSizeBetween(min, max);
  }

  /**
   * Lists of up to {@code max} elements with distinct {@code key}s: a list of {@code min} to {@code
   * max} elements with later duplicates dropped (so never empty when {@code min} is at least 1).
   */
  public static <T> Gen<List<T>> distinctLists(
      Gen<T> gen, Function<? super T, ?> key, int min, int max) {
    return lists(gen, min, max)
        .map(
            list -> {
              Set<Object> seen = new HashSet<>();
              List<T> out = new ArrayList<>();
              for (T t : list) {
                if (seen.add(key.apply(t))) {
                  out.add(t);
                }
              }
              return out;
            });
  }

  /**
   * Lists of up to {@code max} distinct elements; see {@link #distinctLists(Gen, Function, int,
   * int)}.
   */
  public static <T> Gen<List<T>> distinctLists(Gen<T> gen, int min, int max) {
    return distinctLists(gen, Function.identity(), min, max);
  }

  /** A {@link Random} seeded from the draws, for generators that shape a value by hand. */
  public static Gen<Random> randoms() {
    return SourceDSL.longs().all().map(Random::new);
  }

  /** Strings of {@code min} to {@code max} characters drawn from {@code alphabet}. */
  public static Gen<String> strings(String alphabet, int min, int max) {
    List<Character> chars = new ArrayList<>();
    for (int i = 0; i < alphabet.length(); i++) {
      char c = alphabet.charAt(i);
      chars.add(c);
    }
    return lists(pick(chars), min, max)
        .map(
            l -> {
              StringBuilder b = new StringBuilder(l.size());
              l.forEach(b::append);
              return b.toString();
            });
  }

  /** Every character from {@code from} to {@code to}, followed by {@code extra}. */
  public static String alphabet(char from, char to, String extra) {
    StringBuilder b = new StringBuilder();
    for (char c = from; c <= to; c++) {
      b.append(c);
    }
    return b.append(extra).toString();
  }

  /** Either boolean, equally likely. */
  public static Gen<Boolean> booleans() {
    return SourceDSL.booleans().all();
  }

  /** Integers from {@code min} to {@code max} inclusive. */
  public static Gen<Integer> ints(int min, int max) {
    return SourceDSL.integers().between(min, max);
  }
}
