package dev.kmsposture.report;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.PostureResults;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns a {@link PostureReport} into text. Every writer is deterministic: the same report gives
 * byte-identical output, with no timestamp other than the snapshot's capture time. Writers are
 * immutable and thread-safe.
 */
@FunctionalInterface
public interface ReportWriter {
  /** Returns {@code report} as text, ending with a line break. */
  String write(PostureReport report);

  /**
   * Writes {@code results} to {@code out}: the same text as {@link #write(PostureReport)} of the
   * same report. Writers that stream (JSON, SARIF, ASFF) read the findings one at a time and never
   * hold the whole text or every finding, so a report of millions of findings needs neither a
   * string of gigabytes nor the findings in memory (see {@link FindingSpool}); the others collect
   * the findings and write the text they build.
   *
   * @throws IOException if {@code out} fails
   */
  default void write(PostureResults results, Writer out) throws IOException {
    out.write(write(results.toReport()));
  }

  /**
   * Writes {@code results} to {@code out} as UTF-8: the bytes of {@link #write(PostureResults,
   * Writer)} written through a UTF-8 encoder that does {@code malformed} with text UTF-8 cannot
   * encode (a lone surrogate): {@link CodingErrorAction#REPORT} fails with a {@link
   * java.nio.charset.MalformedInputException} as the writer of {@link
   * java.nio.file.Files#newBufferedWriter(java.nio.file.Path, java.nio.charset.Charset,
   * java.nio.file.OpenOption...)} does, {@link CodingErrorAction#REPLACE} writes {@code ?} as an
   * {@link OutputStreamWriter} does. Flushes {@code out} at the end and leaves it open.
   *
   * <p>The JSON, SARIF and ASFF writers print straight to bytes, and print a large report's
   * findings on a few threads of their own, a chunk at a time (the calling thread reads the
   * findings and writes the chunks in order); the bytes are the same. The others write their text
   * through the encoder.
   *
   * @throws IOException if {@code out} fails, or the text cannot be encoded and {@code malformed}
   *     is {@link CodingErrorAction#REPORT}
   */
  default void write(PostureResults results, OutputStream out, CodingErrorAction malformed)
      throws IOException {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(malformed, "malformed");
    Writer text =
        new BufferedWriter(
            new OutputStreamWriter(
                out,
                StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(malformed)
                    .onUnmappableCharacter(malformed)));
    write(results, text);
    text.flush();
  }

  /**
   * Returns whether this format writes {@code finding} at all, so that a streaming check keeps only
   * those (the counts cover every finding either way). True for every finding unless the format
   * leaves some out: SARIF writes only failures and unknown results, ASFF leaves out not-applicable
   * ones.
   */
  default boolean includes(Finding finding) {
    return true;
  }
}
