package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChunkedElementsTest {
  private static final List<Integer> VALUES = IntStream.range(0, 500).boxed().toList();

  @AfterEach
  void workersEnded() {
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("kms-posture-report-") && t.isAlive());
  }

  // {"values" : [ {"n" : 0, "text" : "..."}, ... ], "end" : true}
  private static JsonText.Body body(Iterable<Integer> values, JsonText.Element<Integer> element) {
    return (g, elements) -> {
      g.writeStartObject();
      g.writeArrayFieldStart("values");
      elements.write(g, values, v -> v % 7 != 3, element);
      g.writeEndArray();
      g.writeBooleanField("end", true);
      g.writeEndObject();
    };
  }

  private static void element(com.fasterxml.jackson.core.JsonGenerator g, Integer v)
      throws IOException {
    g.writeStartObject();
    g.writeNumberField("n", v);
    g.writeStringField("text", "élément " + v + " ✓ \ud83d\ude00");
    g.writeEndObject();
  }

  private static String sequential(Iterable<Integer> values) throws IOException {
    StringWriter out = new StringWriter();
    JsonText.document(out, body(values, ChunkedElementsTest::element));
    return out.toString();
  }

  @Test
  void write_slowAndFastChunks_keepsTheOrderAndTheBytes() throws IOException {
    // given: elements that take random time, so that later chunks often finish first
    JsonText.Element<Integer> slow =
        (g, v) -> {
          if (ThreadLocalRandom.current().nextInt(20) == 0) {
            sleep(2);
          }
          element(g, v);
        };
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    // when
    JsonText.document(out, CodingErrorAction.REPORT, body(VALUES, slow), 4, 3);

    // then
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(sequential(VALUES));
  }

  @Test
  void write_noValuesAndOneValue_closeTheArrayAsTheTextDoes() throws IOException {
    for (List<Integer> values : List.of(List.<Integer>of(), List.of(3), List.of(1), VALUES)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      JsonText.document(
          out, CodingErrorAction.REPORT, body(values, ChunkedElementsTest::element), 2, 1);
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(sequential(values));
    }
  }

  @Test
  void write_elementThrowsMidway_throwsItAfterTheElementsBefore() {
    // given
    JsonText.Element<Integer> failing =
        (g, v) -> {
          if (v == 200) {
            throw new IllegalStateException("element 200 cannot be printed");
          }
          element(g, v);
        };
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    // when / then
    assertThatThrownBy(
            () -> JsonText.document(out, CodingErrorAction.REPORT, body(VALUES, failing), 2, 5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("element 200 cannot be printed");
    String written = out.toString(StandardCharsets.UTF_8);
    assertThat(written).contains("\"n\": 195,").doesNotContain("\"n\": 201,");
  }

  @Test
  void write_valuesThrowMidway_throwsItAfterWritingTheElementsBefore() throws IOException {
    // given: values that fail after 300 (a spool that cannot be read further)
    Iterable<Integer> failing =
        () ->
            new Iterator<>() {
              private int next;

              @Override
              public boolean hasNext() {
                if (next == 300) {
                  throw new IllegalStateException("the spool cannot be read");
                }
                return true;
              }

              @Override
              public Integer next() {
                return next++;
              }
            };
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    // when / then
    assertThatThrownBy(
            () ->
                JsonText.document(
                    out,
                    CodingErrorAction.REPORT,
                    body(failing, ChunkedElementsTest::element),
                    2,
                    7))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the spool cannot be read");
    // every element before the failure was written, as one after the other writes them
    StringWriter text = new StringWriter();
    assertThatThrownBy(() -> JsonText.document(text, body(failing, ChunkedElementsTest::element)))
        .hasMessage("the spool cannot be read");
    String written = out.toString(StandardCharsets.UTF_8);
    assertThat(written).contains("\"n\": 299,").isEqualTo(text.toString());
  }

  @Test
  void write_streamFailsMidway_throwsItsException() {
    // given: a disk that fills up after 64 KiB
    OutputStream full =
        new OutputStream() {
          private int written;

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > 1 << 16) {
              throw new IOException("No space left on device");
            }
          }
        };
    List<Integer> many = IntStream.range(0, 5000).boxed().toList();

    // when / then
    assertThatThrownBy(
            () ->
                JsonText.document(
                    full,
                    CodingErrorAction.REPORT,
                    body(many, ChunkedElementsTest::element),
                    2,
                    16))
        .isInstanceOf(IOException.class)
        .hasMessage("No space left on device");
  }

  @Test
  void write_largeArray_readsOnlyAFewChunksAhead() throws IOException {
    // given: values that count how far the reading runs ahead of the bytes written
    AtomicInteger read = new AtomicInteger();
    AtomicInteger maxAhead = new AtomicInteger();
    int[] elementsWritten = new int[1];
    List<Integer> many = IntStream.range(0, 20_000).boxed().toList();
    Iterable<Integer> counted =
        () -> {
          Iterator<Integer> it = many.iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public Integer next() {
              Integer v = it.next();
              if (v % 7 != 3) {
                // the body leaves out the others
                maxAhead.accumulateAndGet(read.incrementAndGet() - elementsWritten[0], Math::max);
              }
              return v;
            }
          };
        };
    OutputStream out =
        new OutputStream() {
          @Override
          public void write(int b) {}

          @Override
          public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
              if (b[i] == '{') {
                elementsWritten[0]++;
              }
            }
          }
        };

    // when
    JsonText.document(
        out, CodingErrorAction.REPORT, body(counted, ChunkedElementsTest::element), 2, 10);

    // then: 2 workers keep at most 4 chunks in flight, and one more is being filled
    assertThat(elementsWritten[0]).isEqualTo(read.get() + 1); // and the document's own brace
    assertThat(maxAhead.get()).isLessThanOrEqualTo(6 * 10 + 1);
  }

  @Test
  void write_loneSurrogate_isRefusedOrReplacedAsTheEncoderDoes() throws IOException {
    JsonText.Element<Integer> lone =
        (g, v) -> {
          g.writeStartObject();
          g.writeStringField("text", v == 42 ? "half \ud83d of a pair" : "fine \\uD800");
          g.writeEndObject();
        };
    ByteArrayOutputStream replaced = new ByteArrayOutputStream();
    JsonText.document(replaced, CodingErrorAction.REPLACE, body(VALUES, lone), 2, 4);
    StringWriter text = new StringWriter();
    JsonText.document(text, body(VALUES, lone));
    assertThat(replaced.toByteArray())
        .isEqualTo(text.toString().getBytes(StandardCharsets.UTF_8))
        .containsSequence("half ? of".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () ->
                JsonText.document(
                    new ByteArrayOutputStream(),
                    CodingErrorAction.REPORT,
                    body(VALUES, lone),
                    2,
                    4))
        .isInstanceOf(java.nio.charset.MalformedInputException.class)
        .hasMessage("Input length = 1");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void escapesSurrogateFindsTheSequenceWhereTheTextSearchFindsIt() {
    String[] texts = {
      "",
      "\\",
      "\\u",
      "\\uD",
      "x\\uD800y",
      "\\\\uDead",
      "\\ud800",
      "\\uC0de",
      "uD\\",
      "caf\u00e9 \\uD",
      "\u00e9\\uD",
      "no escape at all",
      "\\u0044"
    };
    for (String t : texts) {
      byte[] b = ("[" + t + "]").getBytes(StandardCharsets.UTF_8);
      String latin = new String(b, StandardCharsets.ISO_8859_1);
      for (int from = 0; from <= b.length; from++) {
        for (int to = from; to <= b.length; to++) {
          assertThat(ChunkedElements.escapesSurrogate(b, from, to))
              .as("%s [%d, %d)", t, from, to)
              .isEqualTo(latin.substring(from, to).contains("\\uD"));
        }
      }
    }
  }
}
