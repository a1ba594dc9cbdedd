package dev.kmsposture.rules;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of checking an account snapshot: every finding of every rule on every key, in a
 * deterministic order (failures first, then by severity, priority, key and rule), plus what was
 * checked. A snapshot with no keys is reported as such ({@link #isEmptySnapshot()}), never as
 * clean.
 *
 * @param account the account id
 * @param partition the partition
 * @param capturedAt when the snapshot was captured
 * @param keyCount how many keys were checked
 * @param rules the rules that were applied, in rule-set order
 * @param findings the findings, in report order
 * @param notes things the reader must know (for example "the snapshot has no keys")
 * @param source where the snapshot came from (a file name), or empty
 */
public record PostureReport(
    String account,
    String partition,
    Instant capturedAt,
    int keyCount,
    List<RuleInfo> rules,
    List<Finding> findings,
    List<String> notes,
    String source)
    implements PostureResults {

  /** Copies the lists. */
  public PostureReport {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(capturedAt, "capturedAt");
    Objects.requireNonNull(source, "source");
    rules = List.copyOf(rules);
    findings = List.copyOf(findings);
    notes = List.copyOf(notes);
  }

  /** Returns what the report covers and counts, as a streaming check would have counted it. */
  @Override
  public PostureSummary summary() {
    PostureSummary.Counter counter = new PostureSummary.Counter();
    for (Finding f : findings) {
      counter.add(f);
    }
    return counter.summary(account, partition, capturedAt, keyCount, rules, notes, source);
  }

  /**
   * Returns whether the snapshot held no keys: nothing was checked, which is not a clean result.
   */
  public boolean isEmptySnapshot() {
    return keyCount == 0;
  }

  /** Returns the number of findings per status. */
  public Map<Status, Long> countsByStatus() {
    Map<Status, Long> m = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      m.put(s, 0L);
    }
    for (Finding f : findings) {
      m.merge(f.status(), 1L, Long::sum);
    }
    return m;
  }

  /** Returns the number of active failures per severity. */
  public Map<Severity, Long> failuresBySeverity() {
    Map<Severity, Long> m = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      m.put(s, 0L);
    }
    for (Finding f : findings) {
      if (f.isActiveFailure()) {
        m.merge(f.severity(), 1L, Long::sum);
      }
    }
    return m;
  }

  /** Returns the active failures, in report order. */
  public List<Finding> activeFailures() {
    return findings.stream().filter(Finding::isActiveFailure).toList();
  }

  /** Returns whether an active failure of at least {@code threshold} remains. */
  public boolean hasFailuresAtLeast(Severity threshold) {
    return findings.stream()
        .anyMatch(f -> f.isActiveFailure() && f.severity().isAtLeast(threshold));
  }
}
