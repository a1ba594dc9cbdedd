package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps the example in {@code docs/snapshot-schema.md} a valid, canonical snapshot. */
class SnapshotSchemaDocTest {

  @Test
  void docExample_parsesAndIsInCanonicalForm() throws Exception {
    String doc = Files.readString(Path.of("../docs/snapshot-schema.md"));
    int start = doc.indexOf("```json\n") + "```json\n".length();
    String example = doc.substring(start, doc.indexOf("```", start));

    AccountSnapshot s = AccountSnapshot.parse(example);

    assertThat(s.toJson()).isEqualTo(example);
    assertThat(s.keys().get(0).unreadableReason(KeyPart.GRANTS)).isPresent();
  }
}
