package dev.kmsposture.internal.spill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table answers as a map of every key does, on the heap or, past a budget of 0 to 3 entries, in
 * its mapped file, through every growth; and it leaves no file behind.
 */
class HashedTableProperties {
  @TempDir Path dir;

  @Test
  void table_anyBudget_answersAsAMap() {
    int[] inFile = new int[1];
    qt().withFixedSeed(20261212L)
        .withExamples(500)
        .forAll(longs().all(), integers().between(0, 3000), integers().between(0, 3))
        .checkAssert(
            (seed, n, budget) -> {
              Random random = new Random(seed);
              int pool = 1 + random.nextInt(n + 1);
              Map<String, long[]> expected = new HashMap<>();
              try (HashedTable table = new HashedTable(budget, dir, "test-")) {
                for (int i = 0; i < n; i++) {
                  String key = "arn:aws:kms:us-east-1:111122223333:key/" + random.nextInt(pool);
                  long a = random.nextInt(3) == 0 ? 0 : random.nextLong();
                  long b = a == 0 ? 1 + random.nextInt(1000) : random.nextInt(2);
                  table.put(key, a, b);
                  expected.put(key, new long[] {a, b});
                  String probe =
                      "arn:aws:kms:us-east-1:111122223333:key/" + random.nextInt(pool + 5);
                  long[] v = expected.getOrDefault(probe, new long[2]);
                  assertThat(table.first(probe)).isEqualTo(v[0]);
                  assertThat(table.second(probe)).isEqualTo(v[1]);
                }
                assertThat(table.size()).isEqualTo(expected.size());
                assertThat(table.inFile()).isEqualTo(expected.size() > budget);
                if (table.inFile()) {
                  inFile[0]++;
                }
                expected.forEach(
                    (k, v) -> {
                      assertThat(table.first(k)).isEqualTo(v[0]);
                      assertThat(table.second(k)).isEqualTo(v[1]);
                    });
              }
              try (var files = Files.list(dir)) {
                assertThat(files).isEmpty();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    assertThat(inFile[0]).isGreaterThan(400);
  }

  @Test
  void tables_ofTwoRuns_useDifferentKeys() {
    String arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    try (HashedTable one = new HashedTable(1, dir, "test-");
        HashedTable two = new HashedTable(1, dir, "test-")) {
      assertThat(one.hash().sameKey(two.hash())).isFalse();
      one.hash().hash(arn);
      long low = one.hash().low();
      long high = one.hash().high();
      two.hash().hash(arn);
      assertThat(new long[] {two.hash().low(), two.hash().high()})
          .isNotEqualTo(new long[] {low, high});
    }
  }

  @Test
  void equalStrings_alwaysMatch_withinATable() {
    qt().withFixedSeed(20261206L)
        .withExamples(1000)
        .forAll(
            strings().allPossible().ofLengthBetween(0, 90),
            integers().between(0, 2),
            integers().between(1, 40))
        .checkAssert(
            (text, budget, others) -> {
              try (HashedTable table = new HashedTable(budget, dir, "test-")) {
                table.put(text, 7, 9);
                for (int i = 0; i < others; i++) {
                  table.put(text + i, i + 100L, 0);
                }
                // An equal string that is another object, built from the characters.
                String same = new String(text.toCharArray());
                assertThat(table.first(same)).isEqualTo(7);
                assertThat(table.second(same)).isEqualTo(9);
                assertThat(table.size()).isEqualTo(others + 1);
              }
            });
  }

  @Test
  void put_bothValuesZero_isRefused() {
    try (HashedTable table = new HashedTable(1, dir, "test-")) {
      assertThatThrownBy(() -> table.put("a", 0, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("an entry needs a value other than 0");
    }
  }
}
