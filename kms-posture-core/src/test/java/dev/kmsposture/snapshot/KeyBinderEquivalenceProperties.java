package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testing.ScaleSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyBinder} binds keys without data binding's bean path. Whatever it binds must equal what
 * data binding gives, and a reader that uses it must report every document exactly as data binding
 * alone does: the same header and keys, or the same first problem with the same pointer and
 * message, whether keys are bound in place or wait for the header (in memory or in a file).
 */
class KeyBinderEquivalenceProperties {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Values put in place of a member's value: each a JSON type or shape some member has or lacks.
   */
  private static final List<String> VALUES =
      List.of(
          "null",
          "0",
          "7",
          "-3",
          "1.5",
          "1e2",
          "2147483648",
          "9223372036854775808",
          "true",
          "false",
          "\"\"",
          "\"x\"",
          "\"7\"",
          "\"true\"",
          "\"PRIMARY\"",
          "\"REPLICA\"",
          "\"arn:aws:kms:us-east-1:111122223333:key/abc\"",
          "\"2026-01-01T00:00:00Z\"",
          "\"2026-01-01T00:00:00.125Z\"",
          "\"2026-01-01T00:00:00+01:00\"",
          "\"2026-02-30T00:00:00Z\"",
          "\"2026-01-01 00:00:00Z\"",
          "\"\\u0041\\n\"",
          "[]",
          "[\"a\"]",
          "[null]",
          "[\"Decrypt\",\"Decrypt\"]",
          "[1]",
          "{}",
          "{\"a\":\"b\"}",
          "{\"a\":null}",
          "{\"a\":1}",
          "{\"POLICY\":\"denied\"}",
          "{\"policy\":\"denied\"}",
          "{\"arn\":\"arn:aws:kms:us-east-1:111122223333:key/k\",\"region\":\"us-east-1\"}");

  /** Member names put in place of a member's name: known elsewhere, unknown, near misses. */
  private static final List<String> NAMES =
      List.of(
          "arn",
          "region",
          "keyId",
          "Arn",
          "x",
          "metadata",
          "policy",
          "POLICY",
          "TAGS",
          "LAST_USAGE",
          "enabled",
          "operations",
          "eventCount",
          "creationDate",
          "replicaKeys",
          "validTo",
          "name");

  /** Text edits: a member written twice, and breaks of the JSON itself. */
  private static final List<String[]> TEXT =
      List.of(
          new String[] {"\"keyId\" :", "\"keyId\" : \"k\", \"keyId\" :"},
          new String[] {"\"grantId\" :", "\"grantId\" : null, \"grantId\" :"},
          new String[] {"\"Owner\" :", "\"Owner\" : \"o\", \"Owner\" :"},
          new String[] {"\"RESOURCES\" :", "\"RESOURCES\" : \"r\", \"RESOURCES\" :"},
          new String[] {"\"enabled\" :", "\"enabled\" : true, \"enabled\" :"},
          new String[] {"\"time\" :", "\"time\" : 1, \"time\" :"},
          new String[] {"\"keyType\" :", "\"keyType\" : \"PRIMARY\", \"keyType\" :"},
          new String[] {"\"Decrypt\"", "\"Decrypt\" \"x\""},
          new String[] {"\"eventCount\" : 12", "\"eventCount\" : 12x"},
          new String[] {"Z\"", "Z"},
          new String[] {"}", "},"});

  /** A snapshot of {@code n} keys of many shapes, pretty-printed; its keys in place or waiting. */
  private static ObjectNode document(int n, Random random) {
    ObjectNode tree;
    try {
      tree = (ObjectNode) JSON.readTree(SnapshotFixtures.full().toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ArrayNode keys = JSON.createArrayNode();
    keys.add(tree.get("keys").get(0));
    for (int i = 1; i < n; i++) {
      try {
        keys.add(JSON.readTree(ScaleSnapshots.key(i, random, random.nextBoolean()).toJson()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    tree.remove("keys");
    tree.remove("inventory");
    ObjectNode doc = JSON.createObjectNode();
    // version 2 (each key bound as it is read) or 3 without an inventory (keys wait as text)
    doc.put("schemaVersion", random.nextBoolean() ? 2 : 3);
    tree.properties()
        .forEach(
            e -> {
              if (!e.getKey().equals("schemaVersion")) {
                if (e.getKey().equals("aliases")) {
                  doc.set("keys", keys);
                }
                doc.set(e.getKey(), e.getValue());
              }
            });
    return doc;
  }

  /** Every object member and array element under {@code node}, as (container, name or index). */
  private static void places(JsonNode node, List<Object[]> into) {
    if (node instanceof ObjectNode o) {
      o.properties()
          .forEach(
              e -> {
                into.add(new Object[] {o, e.getKey()});
                places(e.getValue(), into);
              });
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        into.add(new Object[] {a, i});
        places(a.get(i), into);
      }
    }
  }

  private static JsonNode value(Random random) {
    try {
      return JSON.readTree(VALUES.get(random.nextInt(VALUES.size())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One edit of the tree of {@code key}: a value replaced, a member removed, renamed or added. */
  private static void edit(JsonNode key, Random random) {
    List<Object[]> places = new ArrayList<>();
    places(key, places);
    Object[] place = places.get(random.nextInt(places.size()));
    if (place[0] instanceof ArrayNode a) {
      int i = (Integer) place[1];
      switch (random.nextInt(3)) {
        case 0 -> a.remove(i);
        case 1 -> a.insert(i, a.get(i).deepCopy());
        default -> a.set(i, value(random));
      }
      return;
    }
    ObjectNode o = (ObjectNode) place[0];
    String name = (String) place[1];
    switch (random.nextInt(4)) {
      case 0 -> o.remove(name);
      case 1 -> {
        JsonNode v = o.remove(name);
        o.set(NAMES.get(random.nextInt(NAMES.size())), v);
      }
      case 2 -> o.set(NAMES.get(random.nextInt(NAMES.size())), value(random));
      default -> o.set(name, value(random));
    }
  }

  private static String text(JsonNode doc) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String mutated(long seed, int n) {
    Random random = new Random(seed);
    ObjectNode doc = document(n, random);
    ArrayNode keys = (ArrayNode) doc.get("keys");
    int edits = random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      edit(keys.get(random.nextInt(keys.size())), random);
    }
    String s = text(doc);
    if (random.nextInt(4) == 0) {
      String[] r = TEXT.get(random.nextInt(TEXT.size()));
      int from = s.indexOf(r[0], random.nextInt(s.length()));
      if (from < 0) {
        from = s.indexOf(r[0]);
      }
      if (from >= 0) {
        s = s.substring(0, from) + r[1] + s.substring(from + r[0].length());
      }
    }
    return s;
  }

  /** What reading gives: the header and keys, or the error's pointer and message. */
  private record Outcome(String what, List<KeySnapshot> keys) {}

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
      return new Outcome("read " + a, keys);
    } catch (SnapshotParseException e) {
      return new Outcome("error " + e.pointer() + " " + e.getMessage(), List.of());
    }
  }

  private static SnapshotReader reader(int shape) {
    return switch (shape) {
      case 0 -> SnapshotReader.create();
      case 1 -> SnapshotReader.create().withWaitingInMemory(0);
      case 2 -> SnapshotReader.create().bindingInPlace();
      default -> SnapshotReader.create().withMaxKeyBytes(1800);
    };
  }

  @Test
  void reader_withTheKeyBinder_reportsWhatDataBindingAloneReports() {
    AtomicInteger read = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    qt().withFixedSeed(20261214L)
        .withExamples(1500)
        .forAll(longs().all(), integers().between(1, 8), integers().between(0, 3))
        .checkAssert(
            (seed, n, shape) -> {
              String json = mutated(seed, n);
              Outcome expected = read(json, reader(shape).bindingWithDataBindingOnly());
              assertThat(read(json, reader(shape))).isEqualTo(expected);
              (expected.what().startsWith("read") ? read : failed).incrementAndGet();
            });
    // both kinds of outcome were compared, many times
    assertThat(read.get()).isGreaterThan(200);
    assertThat(failed.get()).isGreaterThan(500);
  }

  @Test
  void keyBinder_bindsWhatDataBindingBinds_orCannotTell() {
    AtomicInteger bound = new AtomicInteger();
    AtomicInteger boundMutated = new AtomicInteger();
    qt().withFixedSeed(20261215L)
        .withExamples(3000)
        .forAll(longs().all(), integers().between(0, 3))
        .checkAssert(
            (seed, edits) -> {
              Random random = new Random(seed);
              JsonNode key =
                  random.nextInt(8) == 0
                      ? document(1, random).get("keys").get(0)
                      : tree(ScaleSnapshots.key(random.nextInt(1000), random, true).toJson());
              for (int e = 0; e < edits; e++) {
                edit(key, random);
              }
              String json = text(key);
              @Nullable KeySnapshot byDataBinding;
              try {
                byDataBinding = SnapshotCodec.MAPPER.readValue(json, KeySnapshot.class);
              } catch (IOException | RuntimeException e) {
                byDataBinding = null;
              }
              @Nullable KeySnapshot byBinder = bindQuietly(json);
              if (edits == 0) {
                // an unchanged key is always bound, never left to data binding
                assertThat(byBinder).isNotNull();
              }
              if (byBinder != null) {
                assertThat(byBinder).isEqualTo(byDataBinding);
                assertThat(byBinder.toJson())
                    .isEqualTo(Objects.requireNonNull(byDataBinding).toJson());
                bound.incrementAndGet();
                if (edits > 0) {
                  boundMutated.incrementAndGet();
                }
              }
            });
    assertThat(bound.get()).isGreaterThan(1000);
    // edited keys that stayed valid (a null where null is allowed, a fraction of a second, ...)
    assertThat(boundMutated.get()).isGreaterThan(50);
  }

  @Test
  void keyBinder_leavesToDataBinding_whatItCannotTell() throws IOException {
    String key = SnapshotFixtures.full().keys().get(0).toJson();
    for (Map.Entry<String, String> e :
        Map.of(
                "\"enabled\":true", "\"enabled\":1",
                "\"eventCount\":12", "\"eventCount\":null",
                "\"RESOURCES\"", "\"resources\"",
                "\"keyId\"", "\"keyid\"",
                "\"Owner\":\"orders-team\"", "\"Owner\":null")
            .entrySet()) {
      String broken = key.replace(e.getKey(), e.getValue());
      assertThat(broken).isNotEqualTo(key);
      assertThat(bindQuietly(broken)).as(broken).isNull();
    }
    assertThat(bindQuietly(key)).isEqualTo(KeySnapshot.parse(key));
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static @Nullable KeySnapshot bindQuietly(String json) {
    try (JsonParser p = SnapshotCodec.MAPPER.createParser(json)) {
      p.nextToken();
      return KeyBinder.bind(p);
    } catch (IOException e) {
      return null;
    }
  }
}
