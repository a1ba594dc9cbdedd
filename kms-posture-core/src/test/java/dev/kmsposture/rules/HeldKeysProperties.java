package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import dev.kmsposture.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-Region keys a streaming check holds, with 0 to 3 keys (and ARNs) in memory and the rest
 * in files, answer as a list of every key and a map of the first key of each ARN do.
 */
class HeldKeysProperties {
  @TempDir Path dir;

  private static KeySnapshot key(int arn, int n) {
    String a = String.format("arn:aws:kms:us-east-1:111122223333:key/mrk-%032d", arn);
    MultiRegionConfiguration mr =
        new MultiRegionConfiguration(
            "PRIMARY", new MultiRegionConfiguration.MultiRegionKey(a, "us-east-1"), List.of());
    return KeySnapshot.builder(a, TestKeys.metadata().multiRegion(mr).build())
        .tags(Map.of("n", Integer.toString(n)))
        .policy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
        .build();
  }

  @Test
  void heldKeys_smallBudget_answerAsTheListAndMapOfEveryKey() {
    int[] inFile = new int[1];
    qt().withFixedSeed(20261211L)
        .withExamples(500)
        .forAll(longs().all(), integers().between(0, 120), integers().between(0, 3))
        .checkAssert(
            (seed, n, budget) -> {
              Random random = new Random(seed);
              int pool = 1 + random.nextInt(n + 1);
              List<KeySnapshot> all = new ArrayList<>();
              Map<String, KeySnapshot> first = new HashMap<>();
              HeldKeys held = new HeldKeys(budget, dir);
              try {
                for (int i = 0; i < n; i++) {
                  KeySnapshot k = key(random.nextInt(pool), i);
                  all.add(k);
                  first.putIfAbsent(k.arn(), k);
                  held.add(k);
                }
                assertThat(held.size()).isEqualTo(n);
                assertThat(held.inFile()).isEqualTo(Math.max(0, n - budget));
                if (held.inFile() > 0) {
                  inFile[0]++;
                }
                // in order, as the engine judges them, looking partners up in between
                for (int i = 0; i < n; i++) {
                  assertThat(held.get(i)).isEqualTo(all.get(i));
                  int other = random.nextInt(pool + 2);
                  KeySnapshot probe = key(other, -1);
                  assertThat(held.find(probe.arn())).isEqualTo(first.get(probe.arn()));
                }
                // and in any order
                for (int t = 0; t < 20 && n > 0; t++) {
                  int i = random.nextInt(n);
                  assertThat(held.get(i)).isEqualTo(all.get(i));
                }
              } finally {
                held.close();
              }
              try (var files = Files.list(dir)) {
                assertThat(files).isEmpty();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThat(inFile[0]).isGreaterThan(400);
  }
}
