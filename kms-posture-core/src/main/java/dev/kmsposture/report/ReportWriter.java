package dev.kmsposture.report;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.PostureResults;
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
   * Returns whether this format writes {@code finding} at all, so that a streaming check keeps only
   * those (the counts cover every finding either way). True for every finding unless the format
   * leaves some out: SARIF writes only failures and unknown results, ASFF leaves out not-applicable
   * ones.
   */
  default boolean includes(Finding finding) {
    return true;
  }
}
