package dev.kmsposture.rules;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a check covered and counted, without the findings themselves: what a report says before its
 * first finding, and what decides the exit code. A streaming check ({@link PostureEngine#start})
 * produces it from the findings as they pass; {@link PostureReport#summary()} computes the same
 * from a report in memory.
 *
 * @param account the account id
 * @param partition the partition
 * @param capturedAt when the snapshot was captured
 * @param keyCount how many keys were checked
 * @param rules the rules that were applied, in rule-set order
 * @param notes things the reader must know (for example "the snapshot has no keys")
 * @param source where the snapshot came from (a file name), or empty
 * @param countsByStatus the number of findings of each status (every status present)
 * @param failuresBySeverity the number of active failures of each severity (every severity present)
 * @param failuresByDisposition the number of failures of each disposition (every disposition
 *     present)
 */
public record PostureSummary(
    String account,
    String partition,
    Instant capturedAt,
    int keyCount,
    List<RuleInfo> rules,
    List<String> notes,
    String source,
    Map<Status, Long> countsByStatus,
    Map<Severity, Long> failuresBySeverity,
    Map<Finding.Disposition, Long> failuresByDisposition) {

  /** Copies the lists and maps, filling in zero counts. */
  public PostureSummary {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(capturedAt, "capturedAt");
    Objects.requireNonNull(source, "source");
    rules = List.copyOf(rules);
    notes = List.copyOf(notes);
    countsByStatus = complete(countsByStatus, Status.class);
    failuresBySeverity = complete(failuresBySeverity, Severity.class);
    failuresByDisposition = complete(failuresByDisposition, Finding.Disposition.class);
  }

  private static <E extends Enum<E>> Map<E, Long> complete(Map<E, Long> counts, Class<E> type) {
    EnumMap<E, Long> m = new EnumMap<>(type);
    for (E e : type.getEnumConstants()) {
      Long n = counts.get(e);
      m.put(e, n == null ? 0L : n);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Returns whether the snapshot held no keys: nothing was checked, which is not a clean result.
   */
  public boolean isEmptySnapshot() {
    return keyCount == 0;
  }

  /** Returns whether an active failure of at least {@code threshold} remains. */
  public boolean hasFailuresAtLeast(Severity threshold) {
    for (Map.Entry<Severity, Long> e : failuresBySeverity.entrySet()) {
      if (e.getKey().isAtLeast(threshold) && e.getValue() > 0) {
        return true;
      }
    }
    return false;
  }

  /** Returns the number of active failures (of every severity). */
  public long activeFailureCount() {
    long n = 0;
    for (long c : failuresBySeverity.values()) {
      n += c;
    }
    return n;
  }

  /** Counts findings into a summary's maps, one at a time. Not thread-safe. */
  static final class Counter {
    private final long[] byStatus = new long[Status.values().length];
    private final long[] bySeverity = new long[Severity.values().length];
    private final long[] byDisposition = new long[Finding.Disposition.values().length];

    // the ordinals index dense counters, read back by map.
    @SuppressWarnings("EnumOrdinal")
    void add(Finding f) {
      byStatus[f.status().ordinal()]++;
      if (f.status() == Status.FAIL) {
        byDisposition[f.disposition().ordinal()]++;
        if (f.disposition() == Finding.Disposition.ACTIVE) {
          bySeverity[f.severity().ordinal()]++;
        }
      }
    }

    PostureSummary summary(
        String account,
        String partition,
        Instant capturedAt,
        int keyCount,
        List<RuleInfo> rules,
        List<String> notes,
        String source) {
      return new PostureSummary(
          account,
          partition,
          capturedAt,
          keyCount,
          rules,
          notes,
          source,
          map(byStatus, Status.class),
          map(bySeverity, Severity.class),
          map(byDisposition, Finding.Disposition.class));
    }

    // the ordinal indexes the counters of add.
    @SuppressWarnings("EnumOrdinal")
    private static <E extends Enum<E>> Map<E, Long> map(long[] counts, Class<E> type) {
      EnumMap<E, Long> m = new EnumMap<>(type);
      for (E e : type.getEnumConstants()) {
        m.put(e, counts[e.ordinal()]);
      }
      return m;
    }
  }
}
