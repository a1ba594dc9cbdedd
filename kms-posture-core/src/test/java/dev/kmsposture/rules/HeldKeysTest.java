package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import dev.kmsposture.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-Region keys a streaming check holds: in memory up to a budget, the rest in a file. */
class HeldKeysTest {
  @TempDir Path dir;

  private static KeySnapshot key(int i) {
    String arn = String.format("arn:aws:kms:us-east-1:111122223333:key/mrk-%032d", i);
    MultiRegionConfiguration mr =
        new MultiRegionConfiguration(
            "PRIMARY", new MultiRegionConfiguration.MultiRegionKey(arn, "us-east-1"), List.of());
    return KeySnapshot.builder(arn, TestKeys.metadata().multiRegion(mr).build())
        .tags(Map.of("n", Integer.toString(i)))
        .policy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
        .build();
  }

  @Test
  void heldKeys_overTheBudget_areFoundAndListedInOrderFromTheFile_andTheFileIsDeleted()
      throws IOException {
    HeldKeys held = new HeldKeys(3, dir);
    List<KeySnapshot> keys = new ArrayList<>();
    for (int i = 0; i < 3 + 2 * HeldKeys.CACHED; i++) {
      keys.add(key(i));
      held.add(keys.get(i));
    }

    assertThat(held.size()).isEqualTo(keys.size());
    assertThat(held.inFile()).isEqualTo(keys.size() - 3);
    try (var files = Files.list(dir)) {
      assertThat(files).hasSize(1);
    }
    for (int i = keys.size() - 1; i >= 0; i--) {
      assertThat(held.get(i)).isEqualTo(keys.get(i));
      assertThat(held.find(keys.get(i).arn())).isEqualTo(keys.get(i));
    }
    assertThat(held.find("arn:aws:kms:us-east-1:111122223333:key/other")).isNull();

    held.close();
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void heldKeys_sameArnTwice_findsTheFirstAndListsBoth() {
    HeldKeys held = new HeldKeys(0, dir);
    KeySnapshot first = key(1);
    KeySnapshot second = first.toBuilder().tags(Map.of("n", "again")).build();
    held.add(first);
    held.add(second);

    assertThat(held.find(first.arn())).isEqualTo(first);
    assertThat(held.get(1)).isEqualTo(second);
    held.close();
  }
}
