package dev.kmsposture.report;

import java.util.Locale;

/** The report formats kms-posture writes. */
public enum ReportFormat {
  /** The kms-posture JSON report ({@code docs/report-schema.md}). */
  JSON,
  /** SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. */
  SARIF,
  /** A Markdown summary a person reads: worst keys first, each finding with its fix. */
  MARKDOWN,
  /**
   * AWS Security Finding Format: the {@code Findings} array of Security Hub's BatchImportFindings.
   */
  ASFF;

  /** Returns the writer for this format, with its default settings. */
  public ReportWriter writer() {
    return switch (this) {
      case JSON -> new JsonReportWriter();
      case SARIF -> new SarifReportWriter();
      case MARKDOWN -> new MarkdownReportWriter();
      case ASFF -> new AsffReportWriter();
      default ->
          throw new IllegalStateException("bug in kms-posture: no writer for format " + this);
    };
  }

  /**
   * Returns the format named {@code name}, ignoring case.
   *
   * @throws IllegalArgumentException if no format has that name
   */
  public static ReportFormat parse(String name) {
    for (ReportFormat f : values()) {
      if (f.name().equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        String.format(
            "report format [%s] is not known; expected json, sarif, markdown or asff",
            name.toLowerCase(Locale.ROOT)));
  }
}
