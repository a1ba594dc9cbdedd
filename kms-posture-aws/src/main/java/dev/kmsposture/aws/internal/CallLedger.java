package dev.kmsposture.aws.internal;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.metrics.SdkMetric;

/**
 * Counts what a scan asked of AWS: calls per operation and Region (one per request the scanner
 * made, each page of a paginated list included), the retries the SDK made on its own behind them,
 * how many attempts were throttled, and the scanner's own retries after the SDK gave up.
 *
 * <p>The SDK's retries are read from its metrics: every request carries this ledger as a metric
 * publisher (in the request's override configuration, so the caller's client needs no change).
 *
 * <p>Thread-safe.
 */
public final class CallLedger implements MetricPublisher {
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> sdkRetries = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> throttled = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> scanRetries = new ConcurrentHashMap<>();
  private final LongAdder callNanos = new LongAdder();
  private final LongAdder timedCalls = new LongAdder();

  /** Counts one call of {@code operation} in {@code region}. */
  public void called(String region, String operation) {
    calls.computeIfAbsent(region + " " + operation, k -> new LongAdder()).increment();
  }

  /** Counts one retry the scanner made after the SDK's retries were spent. */
  public void retriedByScanner(String operation) {
    scanRetries.computeIfAbsent(operation, k -> new LongAdder()).increment();
  }

  @Override
  public void publish(MetricCollection metrics) {
    String operation = first(metrics, CoreMetric.OPERATION_NAME);
    if (operation == null) {
      return;
    }
    Duration took = first(metrics, CoreMetric.API_CALL_DURATION);
    if (took != null) {
      callNanos.add(took.toNanos());
      timedCalls.increment();
    }
    Integer retries = first(metrics, CoreMetric.RETRY_COUNT);
    if (retries != null && retries > 0) {
      sdkRetries.computeIfAbsent(operation, k -> new LongAdder()).add(retries);
    }
    for (MetricCollection attempt : metrics.children()) {
      for (String error : attempt.metricValues(CoreMetric.ERROR_TYPE)) {
        if ("Throttling".equals(error)) {
          throttled.computeIfAbsent(operation, k -> new LongAdder()).increment();
        }
      }
    }
  }

  private static <T> @Nullable T first(MetricCollection metrics, SdkMetric<T> m) {
    var values = metrics.metricValues(m);
    return values.isEmpty() ? null : values.get(0);
  }

  @Override
  public void close() {
    // nothing to release; the ledger outlives the requests that publish to it
  }

  /** The mean duration of a call as the SDK measured it (retries included), or zero. */
  public Duration meanCallDuration() {
    long n = timedCalls.sum();
    return n == 0 ? Duration.ZERO : Duration.ofNanos(callNanos.sum() / n);
  }

  /** Calls per operation, summed over Regions, sorted by operation. */
  public Map<String, Long> callsByOperation() {
    Map<String, Long> out = new TreeMap<>();
    calls.forEach((k, v) -> out.merge(k.substring(k.indexOf(' ') + 1), v.sum(), Long::sum));
    return out;
  }

  /** Calls per "Region operation", sorted. */
  public Map<String, Long> callsByRegionAndOperation() {
    Map<String, Long> out = new TreeMap<>();
    calls.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** The retries the SDK made, per operation. */
  public Map<String, Long> sdkRetriesByOperation() {
    return sums(sdkRetries);
  }

  /** The attempts that were throttled, per operation. */
  public Map<String, Long> throttledByOperation() {
    return sums(throttled);
  }

  /** The retries the scanner made after the SDK gave up, per operation. */
  public Map<String, Long> scanRetriesByOperation() {
    return sums(scanRetries);
  }

  private static Map<String, Long> sums(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
