package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.PostureResults;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.testing.Coverage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The byte path of every writer ({@link ReportWriter#write(PostureResults, java.io.OutputStream,
 * CodingErrorAction)}: straight to UTF-8, long arrays in chunks on worker threads) gives exactly
 * the text of the writer path encoded as UTF-8, for any report (odd text of every kind, lone and
 * paired surrogates, every status and disposition, empty reports), for any chunk size and number of
 * workers; text UTF-8 cannot encode is replaced with {@code ?} or refused with the encoder's own
 * exception, as the writer path through that encoder does.
 */
class ByteWriterEquivalenceProperties {
  private static final int TRIES = 600;

  private record Setting(StreamedWriterEquivalenceProperties.Case c, int workers, int chunk) {}

  private static Gen<Setting> settings() {
    return StreamedWriterEquivalenceProperties.cases()
        .zip(integers().between(1, 4), integers().between(1, 5), Setting::new);
  }

  @Test
  void sarif_bytes_equalTheTextEncoded() {
    check(
        c -> c.base() == null ? new SarifReportWriter() : new SarifReportWriter(c.base()),
        (w, r) -> ((SarifReportWriter) w).body(r));
  }

  @Test
  void json_bytes_equalTheTextEncoded() {
    check(c -> new JsonReportWriter(), (w, r) -> ((JsonReportWriter) w).body(r));
  }

  @Test
  void asff_bytes_equalTheTextEncoded() {
    check(
        c -> c.base() == null ? new AsffReportWriter() : new AsffReportWriter(c.base()),
        (w, r) -> ((AsffReportWriter) w).body(r));
  }

  @Test
  void markdown_bytes_equalTheTextEncoded() {
    check(c -> new MarkdownReportWriter(), null);
  }

  /** A report of thousands of findings: the public method cuts it in chunks of its own size. */
  @Test
  void everyFormat_largeReport_bytesEqualTheTextEncoded() throws IOException {
    PostureReport report =
        PostureEngine.builder()
            .ruleSet(KmsPostureRules.all())
            .build()
            .check(GeneratedSnapshots.snapshot(7, 150), "snap.json");
    assertThat(report.findings()).hasSizeGreaterThan(4 * ChunkedElements.CHUNK);
    for (ReportFormat format : ReportFormat.values()) {
      ReportWriter w = format.writer();
      for (CodingErrorAction action :
          List.of(CodingErrorAction.REPORT, CodingErrorAction.REPLACE)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(results(report), out, action);
        assertThat(out.toByteArray())
            .as(format + " " + action)
            .isEqualTo(encoded(text(w, report), action));
      }
    }
  }

  @FunctionalInterface
  private interface Writers {
    ReportWriter of(StreamedWriterEquivalenceProperties.Case c);
  }

  @FunctionalInterface
  private interface Bodies {
    JsonText.Body of(ReportWriter w, PostureResults r);
  }

  private static void check(Writers writers, @Nullable Bodies bodies) {
    Coverage coverage = new Coverage();
    qt().withExamples(TRIES)
        .forAll(settings())
        .checkAssert(
            s -> {
              PostureReport report = s.c().report();
              ReportWriter w = writers.of(s.c());
              String text = text(w, report);
              boolean encodable = encoded(text, CodingErrorAction.REPORT) != null;
              coverage.collect("encodable", encodable);
              coverage.collect("chunked", report.findings().size() > s.chunk());
              for (CodingErrorAction action :
                  List.of(CodingErrorAction.REPORT, CodingErrorAction.REPLACE)) {
                byte[] expected = encoded(text, action);
                // the public method (chunks of its own size)
                assertBytes(
                    () -> {
                      ByteArrayOutputStream out = new ByteArrayOutputStream();
                      w.write(results(report), out, action);
                      return out.toByteArray();
                    },
                    expected);
                if (bodies != null) {
                  // small chunks on a few workers
                  assertBytes(
                      () -> {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        JsonText.document(
                            out, action, bodies.of(w, results(report)), s.workers(), s.chunk());
                        return out.toByteArray();
                      },
                      expected);
                }
              }
            });
    coverage.requireAtLeast("encodable", false, 20);
    // (most generated reports hold a lone surrogate somewhere: REPLACE checks their other chunks)
    coverage.requireAtLeast("chunked", true, 50);
  }

  @FunctionalInterface
  private interface Bytes {
    byte[] get() throws IOException;
  }

  // expected null: the text cannot be encoded, and the byte path must refuse it as the encoder does
  private static void assertBytes(Bytes actual, byte @Nullable [] expected) {
    if (expected == null) {
      assertThatThrownBy(actual::get)
          .isInstanceOf(MalformedInputException.class)
          .hasMessage("Input length = 1");
      return;
    }
    try {
      assertThat(actual.get()).isEqualTo(expected);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static PostureResults results(PostureReport report) {
    return PostureResults.of(report.summary(), report.findings());
  }

  private static String text(ReportWriter w, PostureReport report) {
    StringWriter out = new StringWriter();
    try {
      w.write(results(report), out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toString();
  }

  /** The text through a UTF-8 encoder doing {@code action}; null when it refuses the text. */
  static byte @Nullable [] encoded(String text, CodingErrorAction action) {
    try {
      ByteBuffer b = JsonText.encoder(action).encode(CharBuffer.wrap(text));
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return bytes;
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
