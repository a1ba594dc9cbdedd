package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keys that wait for the end of the document (a version 3 snapshot without an inventory before its
 * keys) are kept as their JSON text and bound once, when handed over. Reading such a document must
 * say exactly what reading it with every key bound as it is read says: the same keys, or the same
 * error with the same pointer and message, whichever of several problems comes first, whether the
 * waiting keys are in memory or in a temporary file.
 */
class SnapshotReaderWaitingProperties {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INSERTS = "{}[],:\"0a -\n\\";
  private static final List<String[]> REPLACEMENTS =
      List.of(
          new String[] {"\"Enabled\"", "7"},
          new String[] {"\"Enabled\"", "\"Melted\""},
          new String[] {"\"2025-", "\"2025x-"},
          new String[] {"Z\"", "+01:00\""},
          new String[] {"\"keySpec\"", "\"keySpecs\""},
          new String[] {":111122223333:key", ":111122223334:key"},
          new String[] {"\"CUSTOMER\"", "null"},
          new String[] {"true", "\"yes\""},
          new String[] {"\"region\"", "\"region\": 1, \"x\""});

  /** A version 3 snapshot of {@code n} keys without an inventory, pretty-printed. */
  static String document(int n, Random random) {
    ObjectNode tree;
    try {
      tree = (ObjectNode) JSON.readTree(SnapshotFixtures.full().toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ArrayNode keys = (ArrayNode) tree.get("keys");
    ArrayNode more = JSON.createArrayNode();
    for (int i = 0; i < n; i++) {
      if (i < keys.size()) {
        more.add(keys.get(i).deepCopy());
        continue;
      }
      // distinct single-Region keys beside the fixture's multi-Region set
      ObjectNode key = (ObjectNode) keys.get(random.nextInt(keys.size())).deepCopy();
      String id = String.format("%08d-1111-4111-8111-111111111111", i);
      String region = key.get("region").asText();
      key.put("arn", "arn:aws:kms:" + region + ":111122223333:key/" + id);
      key.put("keyId", id);
      ((ObjectNode) key.get("metadata")).remove("multiRegion");
      more.add(key);
    }
    tree.remove("keys");
    tree.remove("inventory");
    tree.put("schemaVersion", 3);
    // the keys before the account parts, as our writer puts them; no inventory before them
    ObjectNode doc = JSON.createObjectNode();
    tree.properties()
        .forEach(
            e -> {
              if (e.getKey().equals("aliases")) {
                doc.set("keys", more);
              }
              doc.set(e.getKey(), e.getValue());
            });
    if (!doc.has("keys")) {
      doc.set("keys", more);
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String mutate(String json, Random random) {
    int edits = 1 + random.nextInt(2);
    String s = json;
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(s.length());
      switch (random.nextInt(4)) {
        case 0 -> s = s.substring(0, at) + s.substring(at + 1);
        case 1 ->
            s =
                s.substring(0, at)
                    + INSERTS.charAt(random.nextInt(INSERTS.length()))
                    + s.substring(at);
        case 2 -> s = s.substring(0, at);
        default -> {
          String[] r = REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size()));
          int from = s.indexOf(r[0], at);
          if (from < 0) {
            from = s.indexOf(r[0]);
          }
          if (from >= 0) {
            s = s.substring(0, from) + r[1] + s.substring(from + r[0].length());
          }
        }
      }
    }
    return s;
  }

  /** What reading gives: the header and keys, or the error's pointer and message. */
  private record Outcome(String what, List<KeySnapshot> keys) {}

  // Each key bound as it is read, from the same bytes: what the reader did before keys waited as
  // text.
  private static Outcome inPlace(String json) {
    return read(json, SnapshotReader.create().bindingInPlace());
  }

  private static Outcome waiting(String json, long inMemory) {
    return read(json, SnapshotReader.create().withWaitingInMemory(inMemory));
  }

  private static Outcome read(String json, SnapshotReader reader) {
    List<KeySnapshot> keys = new ArrayList<>();
    try {
      AccountSnapshot a =
          reader.read(
              new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
              new SnapshotReader.KeyConsumer() {
                @Override
                public void start(AccountSnapshot header) {}

                @Override
                public void accept(KeySnapshot key) {
                  keys.add(key);
                }
              });
      return new Outcome(header(a), keys);
    } catch (SnapshotParseException e) {
      return new Outcome("error " + e.pointer() + " " + e.getMessage(), List.of());
    }
  }

  private static String header(AccountSnapshot a) {
    return AccountSnapshot.builder()
        .schemaVersion(a.schemaVersion())
        .account(a.account())
        .partition(a.partition())
        .regions(a.regions())
        .capturedAt(a.capturedAt())
        .aliases(a.aliases())
        .trails(a.trails())
        .collectionErrors(a.collectionErrors())
        .durationMillis(a.durationMillis())
        .inventory(a.inventory())
        .build()
        .toString();
  }

  @Test
  void waitingKeys_readAsWhenBoundInPlace_keysOrTheFirstError() {
    qt().withFixedSeed(20261206L)
        .withExamples(1500)
        .forAll(longs().all(), integers().between(1, 12), integers().between(0, 2))
        .checkAssert(
            (seed, n, budget) -> {
              Random random = new Random(seed);
              String json = mutate(document(n, random), random);
              long inMemory = budget == 0 ? 0 : budget == 1 ? 900 : 1 << 20;
              Outcome expected = inPlace(json);
              assertThat(waiting(json, inMemory)).isEqualTo(expected);
            });
  }

  @Test
  void waitingKeys_validDocuments_giveTheSameKeysInMemoryAndInTheFile() {
    qt().withFixedSeed(20261207L)
        .withExamples(200)
        .forAll(longs().all(), integers().between(0, 40))
        .checkAssert(
            (seed, n) -> {
              String json = document(n, new Random(seed));
              Outcome expected = inPlace(json);
              assertThat(expected.what()).doesNotStartWith("error");
              assertThat(waiting(json, 0)).isEqualTo(expected);
              assertThat(waiting(json, 1 << 20)).isEqualTo(expected);
            });
  }

  @Test
  void waitingKey_overTheLimit_isRejectedAsWhenReadInPlace() {
    String big = "x".repeat(50_000);
    String json = document(3, new Random(1)).replaceFirst("\"orders\"", "\"" + big + "\"");
    assertThat(json).contains(big);
    // the Region comes before the description: binding fails there, before the limit
    String wrongType = json.replaceFirst("\"region\" : \"us-east-1\"", "\"region\" : [ 1 ]");
    assertThat(wrongType).isNotEqualTo(json);
    for (String doc : List.of(json, wrongType)) {
      // version 2: no inventory to wait for, each key bound in place; version 3: keys wait
      String inPlace = limited(doc.replace("\"schemaVersion\" : 3", "\"schemaVersion\" : 2"));
      assertThat(inPlace).startsWith("error /keys/0");
      assertThat(limited(doc)).isEqualTo(inPlace);
    }
    assertThat(limited(json)).contains("the key is larger than the limit of 20000 bytes per key");
    assertThat(limited(wrongType)).startsWith("error /keys/0/region");
  }

  private static String limited(String json) {
    try {
      SnapshotReader.create()
          .withMaxKeyBytes(20_000)
          .withWaitingInMemory(0)
          .read(
              new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
              new SnapshotReader.KeyConsumer() {
                @Override
                public void start(AccountSnapshot header) {}

                @Override
                public void accept(KeySnapshot key) {}
              });
      return "read";
    } catch (SnapshotParseException e) {
      return "error " + e.pointer() + " " + e.getMessage();
    }
  }
}
