package dev.kmsposture.report;

import dev.kmsposture.rules.PostureReport;
import java.io.IOException;
import java.io.Writer;

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
   * Writes {@code report} to {@code out}: the same text as {@link #write(PostureReport)}. Writers
   * that stream (JSON, SARIF, ASFF) never hold the whole text, so a report of millions of findings
   * does not need a string of gigabytes; the others write the text they build.
   *
   * @throws IOException if {@code out} fails
   */
  default void write(PostureReport report, Writer out) throws IOException {
    out.write(write(report));
  }
}
