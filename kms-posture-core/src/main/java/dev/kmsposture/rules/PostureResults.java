package dev.kmsposture.rules;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
   * Returns those of {@link #findings()} whose status is {@code status}, in report order. Results
   * that keep such findings apart as well override this to hand them over without reading the
   * others (a SARIF report writes the unknown ones first, in a pass of their own).
   *
   * @param status the status
   */
  default Iterable<Finding> findings(Status status) {
    Objects.requireNonNull(status, "status");
    Iterable<Finding> all = findings();
    return () ->
        new Iterator<>() {
          private final Iterator<Finding> it = all.iterator();
          private @Nullable Finding next = advance();

          private @Nullable Finding advance() {
            while (it.hasNext()) {
              Finding f = it.next();
              if (f.status() == status) {
                return f;
              }
            }
            return null;
          }

          @Override
          public boolean hasNext() {
            return next != null;
          }

          @Override
          public Finding next() {
            Finding f = next;
            if (f == null) {
              throw new NoSuchElementException();
            }
            next = advance();
            return f;
          }
        };
  }

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
