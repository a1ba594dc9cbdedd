package dev.kmsposture.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The results of a check, as the report writers read them: the {@link PostureSummary} (what a
 * report says before its first finding), then the findings in report order. A {@link PostureReport}
 * holds its findings in memory; a streaming check hands them over from wherever it keeps them
 * ({@link #of}), for example a {@link dev.kmsposture.report.FindingSpool} on disk.
 */
public interface PostureResults {
  /** Returns what was checked and the counts. */
  PostureSummary summary();

  /**
   * Returns the findings in report order ({@link PostureEngine#reportOrder()}); each iteration
   * starts again from the first. Results made for one report format may leave out findings that
   * format does not write.
   */
  Iterable<Finding> findings();

  /**
   * Returns results of {@code summary} whose findings are {@code findings}.
   *
   * @param summary the summary
   * @param findings the findings in report order, iterable more than once
   */
  static PostureResults of(PostureSummary summary, Iterable<Finding> findings) {
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(findings, "findings");
    return new PostureResults() {
      @Override
      public PostureSummary summary() {
        return summary;
      }

      @Override
      public Iterable<Finding> findings() {
        return findings;
      }
    };
  }

  /**
   * Returns these results as a {@link PostureReport} in memory: the same report, with every finding
   * held.
   */
  default PostureReport toReport() {
    if (this instanceof PostureReport r) {
      return r;
    }
    PostureSummary s = summary();
    List<Finding> all = new ArrayList<>();
    for (Finding f : findings()) {
      all.add(f);
    }
    return new PostureReport(
        s.account(),
        s.partition(),
        s.capturedAt(),
        s.keyCount(),
        s.rules(),
        all,
        s.notes(),
        s.source());
  }
}
