package dev.kmsposture.report;

import dev.kmsposture.rules.PostureReport;

/**
 * Turns a {@link PostureReport} into text. Every writer is deterministic: the same report gives
 * byte-identical output, with no timestamp other than the snapshot's capture time. Writers are
 * immutable and thread-safe.
 */
@FunctionalInterface
public interface ReportWriter {
  /** Returns {@code report} as text, ending with a line break. */
  String write(PostureReport report);
}
