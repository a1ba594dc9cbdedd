package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PolicyLocation;
import dev.kmsposture.testing.Coverage;
import dev.kmsposture.testing.Gens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The report writers' UTF-8 generator ({@link JsonText.Utf8Generator}) prints every string as
 * Jackson's own UTF-8 generator does, whether it takes its fast path (plain ASCII) or not: quotes,
 * backslashes, control characters, DEL, {@code ?}, characters outside ASCII and Latin-1, paired and
 * lone surrogates, short and long strings (longer than the generator's buffer); and it notes a
 * surrogate exactly when a string it printed held one.
 */
class Utf8GeneratorProperties {
  private static final int TRIES = 2000;

  /** Plain ASCII weighted up, with every character the fast path must refuse. */
  private static final String ALPHABET =
      Gens.alphabet(
          '\u0000',
          '\u007f',
          "aaaaaaaaaaaaaaaaaaaaaaaaa????\"\"\\\\\u0080\u00e9\u00ff\u0100Ω✓日\ud83d\ude00\ud800\udfff");

  private static Gen<List<String>> texts() {
    return Gens.lists(
        Gens.frequency(
            Gens.weight(8, Gens.strings(ALPHABET, 0, 40)),
            Gens.weight(2, Gens.strings("abc-/:?", 0, 40)),
            Gens.weight(1, Gens.strings(ALPHABET, 3000, 12000))),
        1,
        6);
  }

  @Test
  void strings_printAsJacksonPrintsThem() {
    Coverage coverage = new Coverage();
    qt().withExamples(TRIES)
        .forAll(texts())
        .checkAssert(
            texts -> {
              boolean surrogate =
                  texts.stream()
                      .anyMatch(t -> t.chars().anyMatch(c -> Character.isSurrogate((char) c)));
              coverage.collect("surrogate", surrogate);
              coverage.collect(
                  "some plain", texts.stream().anyMatch(t -> JsonText.plainAscii(t) != null));
              coverage.collect(
                  "some not plain", texts.stream().anyMatch(t -> JsonText.plainAscii(t) == null));
              coverage.collect("long", texts.stream().anyMatch(t -> t.length() > 3000));
              assertThat(print(texts, true)).isEqualTo(print(texts, false));
              assertThat(printedSurrogate(texts)).isEqualTo(surrogate);
            });
    // shares of the examples, in percent
    coverage.requireAtLeast("surrogate", true, 20);
    coverage.requireAtLeast("some plain", true, 20);
    coverage.requireAtLeast("some not plain", true, 20);
    coverage.requireAtLeast("long", true, 10);
  }

  @Test
  void plainAscii_isTheAsciiJsonHoldsAsItself() {
    assertThat(JsonText.plainAscii("")).isEmpty();
    assertThat(JsonText.plainAscii("arn:aws:kms:us-east-1:1:key/a? b~\u007f"))
        .isEqualTo("arn:aws:kms:us-east-1:1:key/a? b~\u007f".getBytes(StandardCharsets.US_ASCII));
    for (String s : List.of("\"", "\\", "\u0000", "\u001f", "\n", "é", "\u0100", "Ω", "\ud800")) {
      assertThat(JsonText.plainAscii("ab" + s + "cd")).as(s).isNull();
      assertThat(JsonText.plainAscii(s)).as(s).isNull();
    }
    // '?' is what a character outside Latin-1 becomes when encoded: it is told apart.
    assertThat(JsonText.plainAscii("?日?")).isNull();
  }

  @Test
  void readerAndUtf8Bytes_areCountedAsPerhapsSurrogates() throws IOException {
    JsonText.Utf8Generator g = generator(new ByteArrayOutputStream());
    g.writeStartArray();
    g.writeString("plain");
    assertThat(g.printedSurrogate()).isFalse();
    g.writeString(new StringReader("text"), 4);
    assertThat(g.printedSurrogate()).isTrue();
    g.close();
  }

  /**
   * The fingerprint is the SHA-256 of its parts joined by line breaks, its first 16 bytes in hex,
   * for findings of odd text of every kind.
   */
  @Test
  void fingerprint_isTheDigestOfItsParts() {
    qt().withExamples(300)
        .forAll(StreamedWriterEquivalenceProperties.cases())
        .checkAssert(
            c -> {
              for (Finding f : c.report().findings()) {
                PolicyLocation l = f.location();
                String keyArn = f.keyArn();
                String item = f.item();
                String expected =
                    sha256(
                        f.ruleId().value()
                            + "\n"
                            + (keyArn == null ? f.subject() : keyArn)
                            + "\n"
                            + (l == null ? "" : l.statementFingerprint())
                            + "\n"
                            + (item == null ? "" : item));
                assertThat(f.fingerprint()).isEqualTo(expected.substring(0, 32));
              }
            });
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] print(List<String> texts, boolean ours) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = ours ? generator(out) : jackson(out)) {
      g.writeStartObject();
      int i = 0;
      for (String t : texts) {
        if (i % 3 == 0) {
          g.writeFieldName(t);
          g.writeString(t);
        } else if (i % 3 == 1) {
          g.writeFieldName("chars" + i);
          g.writeString(t.toCharArray(), 0, t.length());
        } else {
          g.writeStringField("string" + i, t);
        }
        i++;
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  private static boolean printedSurrogate(List<String> texts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonText.Utf8Generator g = generator(out)) {
      g.writeStartArray();
      for (String t : texts) {
        g.writeString(t);
      }
      g.writeEndArray();
      g.flush();
      return g.printedSurrogate();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonText.Utf8Generator generator(ByteArrayOutputStream out) {
    try {
      return (JsonText.Utf8Generator) JsonText.bytesGenerator(out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonGenerator jackson(ByteArrayOutputStream out) throws IOException {
    JsonGenerator g =
        JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build()
            .createGenerator(out);
    g.setPrettyPrinter(((JsonText.Utf8Generator) JsonText.bytesGenerator(out)).getPrettyPrinter());
    return g;
  }
}
