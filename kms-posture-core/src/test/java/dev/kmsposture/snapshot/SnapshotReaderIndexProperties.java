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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a read remembers of the keys ({@link KeyIndex}: each ARN listed, and each ARN a multi-Region
 * key names as its partner) is held on the heap up to a budget and in a temporary file beyond. With
 * a budget of 0 to 3 ARNs, reading a document with keys listed twice and partners named (and named
 * wrongly) must say exactly what it says when everything is on the heap, and what the checks in
 * order say (the first key listed twice, else the first naming, in document order, of a key that is
 * not multi-Region).
 */
class SnapshotReaderIndexProperties {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "111122223333";

  @TempDir Path dir;

  private static String arn(int i) {
    return String.format(
        "arn:aws:kms:us-east-1:%s:key/%08d-1111-4111-8111-111111111111", ACCOUNT, i);
  }

  /** A drawn key: its ARN (from a small pool), and, when multi-Region, the partners it names. */
  private record Drawn(int arn, boolean multiRegion, int primary, List<Integer> replicas) {}

  // Mostly distinct ARNs, now and then one listed before; partners named among the keys (listed
  // or not yet), and now and then outside them.
  private static List<Drawn> draw(Random random, int n) {
    List<Drawn> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int arn = i > 0 && random.nextInt(20) == 0 ? keys.get(random.nextInt(i)).arn() : i;
      boolean mr = random.nextInt(3) == 0;
      List<Integer> replicas = new ArrayList<>();
      int r = mr ? random.nextInt(4) : 0;
      for (int j = 0; j < r; j++) {
        replicas.add(random.nextInt(5) == 0 ? 1000 + random.nextInt(3) : random.nextInt(n));
      }
      keys.add(new Drawn(arn, mr, random.nextBoolean() ? arn : random.nextInt(n), replicas));
    }
    return keys;
  }

  private static ObjectNode key(Drawn d) {
    String arn = arn(d.arn());
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("keyManager", "CUSTOMER");
    metadata.put("keySpec", "SYMMETRIC_DEFAULT");
    metadata.put("keyUsage", "ENCRYPT_DECRYPT");
    metadata.put("origin", "AWS_KMS");
    metadata.put("keyState", "Enabled");
    metadata.put("creationDate", "2025-01-01T00:00:00Z");
    metadata.put("description", "");
    if (d.multiRegion()) {
      ObjectNode mr = metadata.putObject("multiRegion");
      mr.put("keyType", d.primary() == d.arn() ? "PRIMARY" : "REPLICA");
      mr.putObject("primaryKey").put("arn", arn(d.primary())).put("region", "us-east-1");
      ArrayNode replicas = mr.putArray("replicaKeys");
      for (int r : d.replicas()) {
        replicas.addObject().put("arn", arn(r)).put("region", "eu-west-1");
      }
    }
    ObjectNode key = JSON.createObjectNode();
    key.put("arn", arn);
    key.put("keyId", arn.substring(arn.indexOf(":key/") + 5));
    key.put("region", "us-east-1");
    key.set("metadata", metadata);
    return key;
  }

  /**
   * A version 3 document of the drawn keys, with an inventory before the keys (each key handed over
   * as it is read) or none (the keys wait for the end of the document).
   */
  private static String document(List<Drawn> drawn, boolean inventoryFirst) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("schemaVersion", 3);
    doc.put("account", ACCOUNT);
    doc.put("partition", "aws");
    doc.put("capturedAt", "2026-11-28T09:00:00Z");
    if (inventoryFirst) {
      try {
        String withInventory =
            AccountSnapshot.of(ACCOUNT, java.time.Instant.parse("2026-11-28T09:00:00Z"), List.of())
                .withInventory(ResourceInventory.empty())
                .toJson();
        doc.set("inventory", JSON.readTree(withInventory).get("inventory"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    ArrayNode keys = doc.putArray("keys");
    drawn.forEach(d -> keys.add(key(d)));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // One character removed or the document cut short somewhere after the first key: a later
  // problem that a key listed twice before it must still win over.
  private static String breakLate(String json, Random random) {
    int from = json.indexOf("\"arn\"", json.indexOf("\"keys\""));
    int at = from + random.nextInt(json.length() - from);
    return random.nextBoolean()
        ? json.substring(0, at) + json.substring(at + 1)
        : json.substring(0, at);
  }

  private static String read(String json, SnapshotReader reader) {
    List<String> keys = new ArrayList<>();
    try {
      reader.read(
          new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
          new SnapshotReader.KeyConsumer() {
            @Override
            public void start(AccountSnapshot header) {}

            @Override
            public void accept(KeySnapshot key) {
              keys.add(key.arn());
            }
          });
      return "read " + keys;
    } catch (SnapshotParseException e) {
      return "error " + e.pointer() + " " + e.getMessage() + " after " + keys;
    }
  }

  /**
   * The checks as they were made before the index could be held in a file: every ARN and every
   * naming on the heap, the namings checked in order at the end.
   */
  private static String expected(List<Drawn> drawn) {
    Map<Integer, Integer> listed = new HashMap<>();
    Map<Integer, Boolean> multiRegion = new HashMap<>();
    Map<Integer, String> partners = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < drawn.size(); i++) {
      Drawn d = drawn.get(i);
      Integer before = listed.putIfAbsent(d.arn(), i);
      if (before != null) {
        String message =
            String.format(
                "invalid snapshot at [/keys/%d/arn]: key [%s] is listed twice, at /keys/%d and here",
                i, arn(d.arn()), before);
        return "error /keys/" + i + "/arn " + message + " after " + keys;
      }
      multiRegion.put(d.arn(), d.multiRegion());
      if (d.multiRegion()) {
        String at = "/keys/" + i + "/metadata/multiRegion/";
        partners.putIfAbsent(d.primary(), at + "primaryKey");
        for (int r = 0; r < d.replicas().size(); r++) {
          partners.putIfAbsent(d.replicas().get(r), at + "replicaKeys/" + r);
        }
      }
      keys.add(arn(d.arn()));
    }
    for (Map.Entry<Integer, String> e : partners.entrySet()) {
      Integer at = listed.get(e.getKey());
      if (at != null && !multiRegion.getOrDefault(e.getKey(), false)) {
        String pointer = "/keys/" + at + "/metadata";
        String message =
            String.format(
                "invalid snapshot at [%s]: key [%s] is named as part of a multi-Region set (at %s)"
                    + " but has no multiRegion block; KMS describes every key of a multi-Region set"
                    + " as multi-Region",
                pointer, arn(e.getKey()), e.getValue());
        return "error " + pointer + " " + message + " after " + keys;
      }
    }
    return "read " + keys;
  }

  @Test
  void smallIndexBudget_readsAsTheChecksInOrderSay_keysListedTwiceAndPartnersNamed() {
    int[] spilled = new int[1];
    int[] outcomes = new int[3];
    qt().withFixedSeed(20261208L)
        .withExamples(600)
        .forAll(longs().all(), integers().between(0, 24), integers().between(0, 3))
        .checkAssert(
            (seed, n, budget) -> {
              Random random = new Random(seed);
              List<Drawn> drawn = draw(random, n);
              boolean inventoryFirst = random.nextBoolean();
              String json = document(drawn, inventoryFirst);
              // whether the keys wait for the end of the document or not, they are checked and
              // handed over in order: the same keys come before the problem
              String expected = expected(drawn);

              String small = read(json, SnapshotReader.create().withMaxIndexedKeysInMemory(budget));
              String heap = read(json, SnapshotReader.create());

              assertThat(small).isEqualTo(heap).isEqualTo(expected);
              outcomes[
                  expected.contains("listed twice") ? 0 : expected.contains("named") ? 1 : 2]++;
              if (n > budget) {
                spilled[0]++;
              }
            });
    // Every outcome is reached, and most examples hold the index in the file.
    assertThat(outcomes[0]).as("listed twice").isGreaterThan(50);
    assertThat(outcomes[1]).as("named, not multi-Region").isGreaterThan(50);
    assertThat(outcomes[2]).as("read").isGreaterThan(50);
    assertThat(spilled[0]).isGreaterThan(400);
  }

  @Test
  void smallIndexBudget_brokenLater_saysWhatTheWholeHeapSays() {
    qt().withFixedSeed(20261209L)
        .withExamples(600)
        .forAll(longs().all(), integers().between(1, 16), integers().between(0, 3))
        .checkAssert(
            (seed, n, budget) -> {
              Random random = new Random(seed);
              List<Drawn> drawn = draw(random, n);
              String json = breakLate(document(drawn, random.nextBoolean()), random);

              String small = read(json, SnapshotReader.create().withMaxIndexedKeysInMemory(budget));
              String heap = read(json, SnapshotReader.create());

              assertThat(small).isEqualTo(heap);
            });
  }

  @Test
  void keyIndex_overItsBudget_answersAsAMapOfEveryArn() {
    qt().withFixedSeed(20261210L)
        .withExamples(500)
        .forAll(longs().all(), integers().between(0, 200), integers().between(0, 3))
        .checkAssert(
            (seed, n, budget) -> {
              Random random = new Random(seed);
              int pool = 1 + random.nextInt(n + 1);
              Map<Integer, Long> listed = new HashMap<>();
              try (KeyIndex index = new KeyIndex(budget, dir)) {
                for (int i = 0; i < n; i++) {
                  int a = random.nextInt(pool);
                  boolean mr = random.nextBoolean();
                  Long before = listed.putIfAbsent(a, (long) i);
                  assertThat(index.add(arn(a), i, mr)).isEqualTo(before == null ? -1 : before);
                }
                assertThat(index.inFile()).isEqualTo(listed.size() > budget);
              }
            });
  }
}
