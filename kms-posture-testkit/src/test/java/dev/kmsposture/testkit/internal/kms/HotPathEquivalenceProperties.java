package dev.kmsposture.testkit.internal.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.internal.wire.JsonTrees;
import dev.kmsposture.testkit.internal.wire.RepeatedText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * The per-request shortcuts of the engine give what the plain forms gave: the journal's request
 * parameters written straight from the request equal a sanitized copy of the tree printed, and
 * seeded ids equal UUIDs made from 16 random bytes.
 */
class HotPathEquivalenceProperties {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Member names: model members, secrets, maps, and a caller's own (odd) names. */
  private static final List<String> MEMBERS =
      List.of(
          "KeyId",
          "Plaintext",
          "CiphertextBlob",
          "EncryptionContext",
          "Constraints",
          "EncryptionContextSubset",
          "GrantTokens",
          "Tags",
          "TagKey",
          "Policy",
          "PendingWindowInDays",
          "DryRun",
          "",
          "x",
          "Éclair",
          "İstanbul",
          "a\"b");

  private static Gen<ObjectNode> objects(int depth) {
    return JsonTrees.objects(MEMBERS, depth);
  }

  // ---- the plain forms, as the engine had them ----

  private static final Set<String> SECRET =
      Set.of(
          "Plaintext",
          "CiphertextBlob",
          "SourceCiphertextBlob",
          "EncryptedKeyMaterial",
          "ImportToken",
          "GrantTokens",
          "GrantToken",
          "Message",
          "Signature",
          "Mac",
          "PublicKey",
          "Recipient",
          "Ciphertext");

  private static final Set<String> MAPS =
      Set.of(
          "EncryptionContext",
          "SourceEncryptionContext",
          "DestinationEncryptionContext",
          "EncryptionContextSubset",
          "EncryptionContextEquals");

  private static ObjectNode sanitizedCopy(ObjectNode input) {
    ObjectNode out = NODES.objectNode();
    input
        .properties()
        .forEach(
            e -> {
              String member = e.getKey();
              if (SECRET.contains(member)) {
                return;
              }
              String field =
                  member.isEmpty()
                      ? member
                      : member.substring(0, 1).toLowerCase(Locale.ROOT) + member.substring(1);
              out.set(field, MAPS.contains(member) ? e.getValue() : structure(e.getValue()));
            });
    return out;
  }

  private static JsonNode structure(JsonNode node) {
    if (node instanceof ObjectNode object) {
      return sanitizedCopy(object);
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = NODES.arrayNode();
      array.forEach(item -> out.add(structure(item)));
      return out;
    }
    return node;
  }

  @Test
  void journalParameters_equalTheSanitizedTreePrinted() {
    qt().withExamples(2000)
        .forAll(objects(3))
        .checkAssert(
            input ->
                assertThat(JournalWriter.sanitizedJson(input))
                    .isEqualTo(sanitizedCopy(input).toString()));
  }

  @Test
  void sharedJournalParameters_equalTheSanitizedTreePrinted() {
    // one table across the run, as a journal writer keeps it: requests drawn from a small pool
    // repeat, so shared copies are handed out (and must still be the request's own text)
    RepeatedText shared = new RepeatedText();
    AtomicInteger reused = new AtomicInteger();
    qt().withExamples(300)
        .forAll(SourceDSL.lists().of(objects(2)).ofSizeBetween(1, 6), SourceDSL.longs().all())
        .checkAssert(
            (pool, seed) -> {
              SplittableRandom random = new SplittableRandom(seed);
              Set<String> seen = Collections.newSetFromMap(new IdentityHashMap<>());
              for (int i = 0; i < 20; i++) {
                ObjectNode input = pool.get(random.nextInt(pool.size()));
                String text = JournalWriter.sanitizedJson(input, shared);
                assertThat(text).isEqualTo(sanitizedCopy(input).toString());
                if (!seen.add(text)) {
                  reused.incrementAndGet();
                }
              }
            });
    assertThat(reused.get()).isGreaterThan(300);
  }

  /** A deep copy of {@code node} with each object's members in reverse order. */
  private static JsonNode reversed(JsonNode node) {
    if (node instanceof ObjectNode object) {
      ObjectNode out = NODES.objectNode();
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      Collections.reverse(names);
      names.forEach(name -> out.set(name, reversed(object.get(name))));
      return out;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = NODES.arrayNode();
      array.forEach(item -> out.add(reversed(item)));
      return out;
    }
    return node;
  }

  @Test
  void rememberedJournalParameters_equalTheSanitizedTreePrinted() {
    // one writer across a run, as the journal keeps it: requests from a small pool repeat (the
    // text written for the one before is handed out again), come back with their members in
    // another order, with other secrets, or changed after they were logged
    AtomicInteger repeated = new AtomicInteger();
    qt().withExamples(300)
        .forAll(SourceDSL.lists().of(objects(2)).ofSizeBetween(1, 4), SourceDSL.longs().all())
        .checkAssert(
            (pool, seed) -> {
              JournalWriter.Parameters parameters = new JournalWriter.Parameters();
              SplittableRandom random = new SplittableRandom(seed);
              ObjectNode previous = null;
              for (int i = 0; i < 24; i++) {
                ObjectNode input = pool.get(random.nextInt(pool.size()));
                switch (random.nextInt(6)) {
                  case 0 -> input = (ObjectNode) reversed(input);
                  case 1 -> {
                    input = input.deepCopy();
                    input.put("CiphertextBlob", "secret-" + random.nextInt());
                  }
                  case 2 -> {
                    if (previous != null) {
                      // the request logged last changes after it was logged
                      previous.put("KeyId", "changed-" + random.nextInt(3));
                      previous.putObject("EncryptionContext").put("k", "v" + random.nextInt(2));
                    }
                  }
                  default -> {}
                }
                String expected = sanitizedCopy(input).toString();
                if (previous != null && expected.equals(sanitizedCopy(previous).toString())) {
                  repeated.incrementAndGet();
                }
                assertThat(parameters.of(input)).isEqualTo(expected);
                previous = input;
              }
            });
    assertThat(repeated.get()).isGreaterThan(1000);
  }

  @Test
  void plainJournalParameters_equalTheSanitizedTreePrinted() {
    // the journal's own ASCII writer, where it applies; both ways must be exercised
    AtomicInteger plain = new AtomicInteger();
    AtomicInteger escaped = new AtomicInteger();
    qt().withExamples(3000)
        .forAll(objects(3))
        .checkAssert(
            input -> {
              String fast = JournalWriter.plainSanitizedJson(input);
              if (fast == null) {
                escaped.incrementAndGet();
              } else {
                plain.incrementAndGet();
                assertThat(fast).isEqualTo(sanitizedCopy(input).toString());
              }
            });
    assertThat(plain.get()).isGreaterThan(300);
    assertThat(escaped.get()).isGreaterThan(300);
  }

  @Test
  void seededUuids_equalUuidsOf16RandomBytes() {
    qt().withExamples(500)
        .forAll(Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE))
        .checkAssert(
            seed -> {
              Ids ids = Ids.seeded(seed);
              SplittableRandom reference = new SplittableRandom(seed);
              for (int i = 0; i < 4; i++) {
                byte[] b = new byte[16];
                reference.nextBytes(b);
                b[6] = (byte) ((b[6] & 0x0f) | 0x40);
                b[8] = (byte) ((b[8] & 0x3f) | 0x80);
                String h = HexFormat.of().formatHex(b);
                String expected =
                    h.substring(0, 8)
                        + "-"
                        + h.substring(8, 12)
                        + "-"
                        + h.substring(12, 16)
                        + "-"
                        + h.substring(16, 20)
                        + "-"
                        + h.substring(20);
                assertThat(ids.uuid()).isEqualTo(expected);
              }
            });
  }

  @Test
  void idsMadeHere_areReadBackAsTheirTextReads() {
    // Uuids.parse hands back the bits of the last few ids Uuids.text made on this thread without
    // reading them: the same bits as reading the text, for those ids, for older ones, for equal
    // copies of them and for ids made on another thread
    qt().withExamples(500)
        .forAll(
            SourceDSL.lists().of(Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE)).ofSize(16),
            Generate.range(1, 8))
        .checkAssert(
            (bits, made) -> {
              List<String> texts = new ArrayList<>();
              for (int i = 0; i < made; i++) {
                texts.add(Uuids.text(bits.get(2 * i), bits.get(2 * i + 1)));
              }
              for (int i = made - 1; i >= 0; i--) {
                String text = texts.get(i);
                long[] remembered = new long[3];
                long[] read = new long[3];
                assertThat(Uuids.parse(text, remembered, 1)).isTrue();
                assertThat(Uuids.read(new String(text.toCharArray()), read, 1)).isTrue();
                assertThat(remembered).containsExactly(0L, bits.get(2 * i), bits.get(2 * i + 1));
                assertThat(read).isEqualTo(remembered);
                long[] copy = new long[2];
                assertThat(Uuids.parse(new String(text.toCharArray()), copy, 0)).isTrue();
                assertThat(copy).containsExactly(bits.get(2 * i), bits.get(2 * i + 1));
              }
            });
    String[] elsewhere = new String[1];
    Thread other = new Thread(() -> elsewhere[0] = Uuids.text(0x1234L, -0x5678L));
    other.start();
    try {
      other.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    long[] out = new long[2];
    assertThat(Uuids.parse(elsewhere[0], out, 0)).isTrue();
    assertThat(out).containsExactly(0x1234L, -0x5678L);
    assertThat(Uuids.parse("not-a-uuid", out, 0)).isFalse();
  }

  @Test
  void touchedKeys_areTheDistinctArnsInOrder_asTheGrowingListHadThem() {
    // the call's key list, now replaced by an unmodifiable one as it grows, against the plain
    // form: a list that adds an ARN it does not hold yet
    qt().withExamples(1000)
        .forAll(
            SourceDSL.lists()
                .of(Generate.pick(List.of("arn:a", "arn:b", "arn:c", "arn:d")))
                .ofSizeBetween(0, 8))
        .checkAssert(
            touched -> {
              List<String> plain = new ArrayList<>(2);
              List<String> kept = List.of();
              for (String arn : touched) {
                if (!plain.contains(arn)) {
                  plain.add(arn);
                }
                // an equal string, not the same one: found by equals, as before
                kept = KmsCall.with(kept, new String(arn.toCharArray()));
                assertThat(kept).isEqualTo(plain);
                assertThat(List.copyOf(kept)).isSameAs(kept);
              }
            });
  }
}
