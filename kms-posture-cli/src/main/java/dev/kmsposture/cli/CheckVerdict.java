package dev.kmsposture.cli;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The verdict of {@code check}: whether the run fails, and the one line on standard error that says
 * why. It is fail-safe: a rule at or above {@code --fail-on} that could not be checked (status
 * {@link Status#UNKNOWN}: a key policy that does not parse, a part of the key that could not be
 * read) fails the run like an active failure, because an unreadable policy is never better than a
 * bad one — unless {@code --allow-unknown} accepts unknowns. A suppression does not cover an
 * unknown: it was written for a failure someone looked at, not for data nobody could read.
 *
 * <p>The verdict is built one finding at a time ({@link Tally}), so it needs no list of findings.
 */
final class CheckVerdict {
  private static final int NAMED = 3;

  private final int keyCount;
  private final Severity threshold;
  private final boolean allowUnknown;
  private final Map<Severity, Long> failures;
  private final Map<Severity, Long> unknowns;
  private final List<String> unknownAtThreshold;
  private final long unknownAtThresholdCount;

  private CheckVerdict(Tally t, int keyCount) {
    this.keyCount = keyCount;
    this.threshold = t.threshold;
    this.allowUnknown = t.allowUnknown;
    this.failures = t.failures;
    this.unknowns = t.unknowns;
    this.unknownAtThreshold = new ArrayList<>(t.unknownNames);
    this.unknownAtThresholdCount = t.unknownAtThreshold;
  }

  /** Counts findings as they come, then gives the verdict. */
  static final class Tally implements Consumer<Finding> {
    private final Severity threshold;
    private final boolean allowUnknown;
    private final Map<Severity, Long> failures = zeros();
    private final Map<Severity, Long> unknowns = zeros();
    // Bounded: only the first names in a stable order are shown.
    private final TreeSet<String> unknownNames = new TreeSet<>();
    private long unknownAtThreshold;

    Tally(Severity threshold, boolean allowUnknown) {
      this.threshold = Objects.requireNonNull(threshold, "threshold");
      this.allowUnknown = allowUnknown;
    }

    @Override
    public void accept(Finding f) {
      if (f.isActiveFailure()) {
        failures.merge(f.severity(), 1L, Long::sum);
      } else if (f.status() == Status.UNKNOWN && f.disposition() == Finding.Disposition.ACTIVE) {
        unknowns.merge(f.severity(), 1L, Long::sum);
        if (f.severity().isAtLeast(threshold)) {
          unknownAtThreshold++;
          unknownNames.add(f.ruleId() + " on " + f.subject());
          if (unknownNames.size() > NAMED) {
            unknownNames.pollLast();
          }
        }
      }
    }

    /** Returns the verdict for a run that checked {@code keyCount} keys. */
    CheckVerdict verdict(int keyCount) {
      return new CheckVerdict(this, keyCount);
    }
  }

  /** Returns the verdict of {@code report}. */
  static CheckVerdict of(PostureReport report, Severity threshold, boolean allowUnknown) {
    Tally tally = new Tally(threshold, allowUnknown);
    report.findings().forEach(tally);
    return tally.verdict(report.keyCount());
  }

  private static Map<Severity, Long> zeros() {
    Map<Severity, Long> m = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      m.put(s, 0L);
    }
    return m;
  }

  private boolean failuresAtThreshold() {
    return failures.entrySet().stream()
        .anyMatch(e -> e.getKey().isAtLeast(threshold) && e.getValue() > 0);
  }

  private boolean unknownsFail() {
    return unknownAtThresholdCount > 0 && !allowUnknown;
  }

  /**
   * Returns whether the run fails: an empty snapshot, an active failure or an unknown at the
   * threshold.
   */
  boolean failing() {
    return keyCount == 0 || failuresAtThreshold() || unknownsFail();
  }

  /** Returns the exit code: {@link ExitCode#FINDINGS} when {@link #failing()}, else OK. */
  int exitCode() {
    return failing() ? ExitCode.FINDINGS : ExitCode.OK;
  }

  /** Returns the one-line verdict printed on standard error. */
  String line() {
    if (keyCount == 0) {
      return "the snapshot holds no keys: nothing was checked, which is not a clean result";
    }
    long unknown = unknowns.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder sb = new StringBuilder();
    sb.append(keyCount)
        .append(keyCount == 1 ? " key checked: " : " keys checked: ")
        .append(counts(failures))
        .append(" active failures; ")
        .append(unknown)
        .append(unknown == 1 ? " result" : " results")
        .append(" could not be checked");
    if (unknown > 0) {
      sb.append(" (").append(counts(unknowns)).append(')');
    }
    String level = name(threshold) + " or worse";
    boolean failed = failuresAtThreshold();
    if (failed && unknownsFail()) {
      sb.append("; failing because of ")
          .append(level)
          .append(", and ")
          .append(unknownsText(level))
          .append(" (an unreadable policy is no better than a bad one)");
    } else if (failed) {
      sb.append("; failing because of ").append(level);
    } else if (unknownsFail()) {
      sb.append("; failing because ")
          .append(unknownsText(level))
          .append(" (an unreadable policy is no better than a bad one; --allow-unknown accepts")
          .append(" unknowns)");
    } else {
      sb.append("; none at ").append(level);
      if (unknownAtThresholdCount > 0) {
        sb.append(", but ")
            .append(unknownAtThresholdCount)
            .append(" at ")
            .append(level)
            .append(" could not be checked (accepted by --allow-unknown)");
      }
    }
    return sb.toString();
  }

  private String unknownsText(String level) {
    List<String> named = new ArrayList<>(unknownAtThreshold);
    named.sort(Comparator.naturalOrder());
    long more = unknownAtThresholdCount - named.size();
    return unknownAtThresholdCount
        + " "
        + level
        + (unknownAtThresholdCount == 1 ? " result" : " results")
        + " could not be checked: "
        + String.join(", ", named)
        + (more > 0 ? " and " + more + " more" : "");
  }

  private static String counts(Map<Severity, Long> bySeverity) {
    List<String> parts = new ArrayList<>();
    for (Severity s : Severity.values()) {
      parts.add(bySeverity.get(s) + " " + name(s));
    }
    return String.join(", ", parts);
  }

  private static String name(Severity s) {
    return s.name().toLowerCase(Locale.ROOT);
  }
}
