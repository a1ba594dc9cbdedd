package dev.kmsposture.aws.scan;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a scan cost and what bounded it.
 *
 * <p>The quota bound is the time the busiest quota bucket needs at the scan's budgeted rate: its
 * calls divided by the rate. No scan within the budget can be faster, so {@code duration /
 * quotaBound} says how close the scan came to the best possible (latency aside). With last usage
 * on, {@code GetKeyLastUsage} (5 requests per second by default, 2.5 at the default budget) is
 * nearly always that bucket.
 *
 * @param duration how long the scan took
 * @param keys keys in the snapshot
 * @param keysWithUnreadableParts keys with at least one part that could not be read
 * @param callsByOperation requests made per operation (each page of a list counts), sorted
 * @param sdkRetriesByOperation retries the SDK made behind those requests, per operation
 * @param throttledByOperation attempts that were throttled, per operation
 * @param scanRetriesByOperation retries the scanner made after the SDK's were spent
 * @param retryModes the retry mode of each client, by "{@code service region}" (such as {@code kms
 *     us-east-1}): {@code ADAPTIVE_V2}, {@code STANDARD}, {@code LEGACY}, … or {@code default} when
 *     the client leaves it to the SDK's defaults
 * @param meanCallDuration the mean time one call took, as the SDK measured it (its retries
 *     included): with the concurrency, it decides whether the scan keeps the busiest quota busy
 * @param busiestQuota the quota bucket with the largest bound, as "{@code region operation}", or
 *     empty when no call was made
 * @param quotaBound the busiest bucket's calls divided by its budgeted rate
 * @param notes advice, such as clients that do not use {@code RetryMode.ADAPTIVE_V2}
 */
public record ScanStatistics(
    Duration duration,
    int keys,
    int keysWithUnreadableParts,
    Map<String, Long> callsByOperation,
    Map<String, Long> sdkRetriesByOperation,
    Map<String, Long> throttledByOperation,
    Map<String, Long> scanRetriesByOperation,
    Map<String, String> retryModes,
    Duration meanCallDuration,
    String busiestQuota,
    Duration quotaBound,
    List<String> notes) {

  /** The operations a scan makes once per key (or per page of a key's list). */
  public static final Set<String> PER_KEY_OPERATIONS =
      Set.of(
          "DescribeKey",
          "GetKeyPolicy",
          "GetKeyRotationStatus",
          "ListKeyRotations",
          "ListResourceTags",
          "ListGrants",
          "GetKeyLastUsage",
          "LookupEvents");

  /** Copies and sorts the maps. */
  public ScanStatistics {
    Objects.requireNonNull(duration, "duration");
    callsByOperation = sorted(callsByOperation);
    sdkRetriesByOperation = sorted(sdkRetriesByOperation);
    throttledByOperation = sorted(throttledByOperation);
    scanRetriesByOperation = sorted(scanRetriesByOperation);
    retryModes = Collections.unmodifiableMap(new TreeMap<>(retryModes));
    Objects.requireNonNull(meanCallDuration, "meanCallDuration");
    Objects.requireNonNull(busiestQuota, "busiestQuota");
    Objects.requireNonNull(quotaBound, "quotaBound");
    notes = List.copyOf(notes);
  }

  private static <V> Map<String, V> sorted(Map<String, V> m) {
    return Collections.unmodifiableMap(new TreeMap<>(m));
  }

  /** Every request the scan made. */
  public long totalCalls() {
    return callsByOperation.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The requests made for keys (not for listing them, nor for trails), per key; 0 without keys. */
  public double callsPerKey() {
    if (keys == 0) {
      return 0;
    }
    long perKey =
        callsByOperation.entrySet().stream()
            .filter(e -> PER_KEY_OPERATIONS.contains(e.getKey()))
            .mapToLong(Map.Entry::getValue)
            .sum();
    return (double) perKey / keys;
  }
}
