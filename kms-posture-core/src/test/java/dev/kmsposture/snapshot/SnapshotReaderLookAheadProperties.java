package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A version 3 snapshot whose inventory does not come before its keys makes the keys wait for the
 * document's end. Read with a look-ahead (a second stream of the same document), the members after
 * the keys are read first and the keys are handed over as they are read: with the header the keys
 * would have had after waiting, the same keys in the same order, and, when the document has a
 * problem, either the same problem or {@link SnapshotReader.ReadAgain} (after which the caller
 * reads the document the usual way, as {@code check} does).
 */
class SnapshotReaderLookAheadProperties {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The header handed to start, the keys, the header returned; or the problem. */
  private record Outcome(String started, List<KeySnapshot> keys, String what) {}

  /** Bytes read from the document when the first key was handed over (-1: none was). */
  private static final class Reading {
    long firstKeyAt = -1;
  }

  private static Outcome waiting(String json) {
    return read(json, false, new Reading());
  }

  // With the look-ahead; on ReadAgain, read again without, as check does.
  private static Outcome ahead(String json, Reading reading) {
    try {
      return read(json, true, reading);
    } catch (SnapshotReader.ReadAgain e) {
      return waiting(json);
    }
  }

  private static Outcome read(String json, boolean lookAhead, Reading reading) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    long[] position = {0};
    InputStream in =
        new FilterInputStream(new ByteArrayInputStream(bytes)) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            // a little at a time, so that where reading stood when a key came shows
            int n = super.read(b, off, Math.min(len, 64));
            position[0] += Math.max(0, n);
            return n;
          }
        };
    List<KeySnapshot> keys = new ArrayList<>();
    String[] started = {""};
    SnapshotReader.KeyConsumer consumer =
        new SnapshotReader.KeyConsumer() {
          @Override
          public void start(AccountSnapshot header) {
            started[0] = header.toString();
          }

          @Override
          public void accept(KeySnapshot key) {
            if (keys.isEmpty()) {
              reading.firstKeyAt = position[0];
            }
            keys.add(key);
          }
        };
    try {
      SnapshotReader reader = SnapshotReader.create();
      AccountSnapshot a =
          lookAhead
              ? reader.read(in, consumer, () -> new ByteArrayInputStream(bytes))
              : reader.read(in, consumer);
      return new Outcome(started[0], keys, a.toString());
    } catch (SnapshotParseException e) {
      return new Outcome("", List.of(), "error " + e.pointer() + " " + e.getMessage());
    }
  }

  // The fixture's document with its inventory after the keys (or without one).
  private static String withInventoryAfterKeys(int n, Random random, boolean inventory) {
    try {
      ObjectNode doc =
          (ObjectNode) JSON.readTree(SnapshotReaderWaitingProperties.document(n, random));
      if (inventory) {
        ObjectNode full = (ObjectNode) JSON.readTree(SnapshotFixtures.full().toJson());
        if (full.has("inventory")) {
          doc.set("inventory", full.get("inventory"));
        }
      }
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void validDocuments_keysHandedOverAsRead_withTheHeaderTheyWouldHaveWaitedFor() {
    qt().withFixedSeed(20261208L)
        .withExamples(300)
        .forAll(longs().all(), integers().between(1, 30), integers().between(0, 1))
        .checkAssert(
            (seed, n, inventory) -> {
              String json = withInventoryAfterKeys(n, new Random(seed), inventory == 1);
              Outcome expected = waiting(json);
              assertThat(expected.what()).doesNotStartWith("error");
              Reading reading = new Reading();
              Outcome read = read(json, true, reading);
              assertThat(read).isEqualTo(expected);
              // handed over before the members after the keys were read: as read, not waiting
              assertThat(reading.firstKeyAt)
                  .isBetween(0L, (long) json.getBytes(StandardCharsets.UTF_8).length - 1);
            });
  }

  @Test
  void brokenDocuments_reportWhatWaitingReports() {
    qt().withFixedSeed(20261209L)
        .withExamples(1500)
        .forAll(longs().all(), integers().between(1, 12), integers().between(0, 1))
        .checkAssert(
            (seed, n, inventory) -> {
              Random random = new Random(seed);
              String json =
                  SnapshotReaderWaitingProperties.mutate(
                      withInventoryAfterKeys(n, random, inventory == 1), random);
              assertThat(ahead(json, new Reading())).isEqualTo(waiting(json));
            });
  }

  @Test
  void aDocumentThatChangedBetweenTheReads_isReadAgain() {
    String json = withInventoryAfterKeys(3, new Random(7), false);
    String changed = json.replace("\"durationMillis\" : 1234", "\"durationMillis\" : 1235");
    assertThat(changed).isNotEqualTo(json);
    byte[] now = changed.getBytes(StandardCharsets.UTF_8);
    byte[] before = json.getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () ->
                SnapshotReader.create()
                    .read(
                        new ByteArrayInputStream(now),
                        new SnapshotReader.KeyConsumer() {
                          @Override
                          public void start(AccountSnapshot header) {}

                          @Override
                          public void accept(KeySnapshot key) {}
                        },
                        () -> new ByteArrayInputStream(before)))
        .isInstanceOf(SnapshotReader.ReadAgain.class);
  }

  @Test
  void membersAfterKeys_skipsStringsAndNesting() throws IOException {
    String doc = "{\"a\":1,\"keys\":[{\"p\":\"]}\\\"[{\"},[]],\"trails\":[],\"x\":{}}";
    int at = doc.indexOf('[');
    byte[] after =
        MembersAfterKeys.find(
            new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)), at, 1 << 20);
    assertThat(new String(after == null ? new byte[0] : after, StandardCharsets.UTF_8))
        .isEqualTo("{ \"trails\":[],\"x\":{}}");
    assertThat(
            MembersAfterKeys.find(
                new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)), at - 1, 1 << 20))
        .isNull();
    assertThat(
            MembersAfterKeys.find(
                new ByteArrayInputStream("{\"keys\":[{}".getBytes(StandardCharsets.UTF_8)),
                8,
                1 << 20))
        .isNull();
  }
}
