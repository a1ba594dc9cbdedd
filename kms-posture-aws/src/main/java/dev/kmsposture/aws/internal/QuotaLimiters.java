package dev.kmsposture.aws.internal;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Client-side rate limits for one account: one limiter per (Region, quota), each at the quota's
 * rate times the budget fraction, so a scan never spends more than its share of a bucket that
 * production traffic shares.
 *
 * <p>The limiters are resilience4j's {@code AtomicRateLimiter}: lock-free, it hands out one permit
 * per {@code 1 / rate} seconds and reserves a waiting thread's slot in advance, so waiting threads
 * are served in order and the rate holds exactly, without the bursts a per-second window would
 * allow. One permit per period (rather than {@code rate} permits per second) keeps the requests
 * evenly spaced: KMS's own buckets hold about a second of requests, and a burst at the start of
 * each second would meet production traffic doing the same.
 *
 * <p>Thread-safe.
 */
public final class QuotaLimiters {
  private final Map<String, Double> rates;
  private final double budgetFraction;
  private final LongSupplier nanoTime;
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

  /**
   * Creates the limiters of one account.
   *
   * @param overrides rates (requests per second) that replace the defaults of {@link KmsQuotas}, by
   *     operation
   * @param budgetFraction the share of each quota the scan may use, in (0, 1]
   * @param nanoTime the clock the limiters wait on ({@code System::nanoTime} outside tests)
   */
  public QuotaLimiters(
      Map<String, Double> overrides, double budgetFraction, LongSupplier nanoTime) {
    if (!(budgetFraction > 0 && budgetFraction <= 1)) {
      throw new IllegalArgumentException(
          String.format(
              "budget fraction [%s] is not in (0, 1]; use 0.5 to spend half of each quota",
              budgetFraction));
    }
    Map<String, Double> merged = new TreeMap<>(KmsQuotas.defaults());
    merged.putAll(overrides);
    this.rates = Map.copyOf(merged);
    this.budgetFraction = budgetFraction;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** The rate the scan allows itself for {@code operation}: its quota times the budget fraction. */
  public double budgetedRate(String operation) {
    Double rate = rates.get(operation);
    if (rate == null) {
      throw new IllegalStateException(
          "bug in kms-posture: no request quota is known for operation [" + operation + "]");
    }
    return rate * budgetFraction;
  }

  /**
   * Waits until the scan may call {@code operation} in {@code region} once more.
   *
   * @throws CancellationException if the thread is interrupted while it waits (the interrupt flag
   *     stays set)
   * @throws ScanDeadline.Exceeded if the permit comes only after the scan's deadline
   */
  public void acquire(String region, String operation, ScanDeadline deadline) {
    RateLimiter limiter =
        limiters.computeIfAbsent(region + " " + operation, name -> create(name, operation));
    // Reserve the next slot and sleep until it here, rather than inside the limiter, so that the
    // wait gives way to the deadline and to interruption.
    long waitNanos = limiter.reservePermission();
    if (waitNanos <= 0) {
      return;
    }
    if (waitNanos > deadline.remainingNanos()) {
      throw new ScanDeadline.Exceeded(deadline.reason());
    }
    try {
      Thread.sleep(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException(
          "interrupted while waiting for the request quota of " + operation + " in " + region);
    }
  }

  private RateLimiter create(String name, String operation) {
    double rate = budgetedRate(operation);
    long periodNanos = Math.max(1L, Math.round(1_000_000_000.0 / rate));
    RateLimiterConfig config =
        RateLimiterConfig.custom()
            .limitForPeriod(1)
            .limitRefreshPeriod(Duration.ofNanos(periodNanos))
            // Threads wait as long as the quota makes them; cancel and timeouts interrupt them.
            .timeoutDuration(Duration.ofDays(365))
            .writableStackTraceEnabled(false)
            .build();
    return RateLimiter.of(name, config, nanoTime::getAsLong);
  }
}
