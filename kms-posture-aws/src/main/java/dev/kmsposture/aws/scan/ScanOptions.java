package dev.kmsposture.aws.scan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How a scan runs: how fast (concurrency and the share of each request quota it may spend), what it
 * reads beyond the keys (last usage, CloudTrail usage), and when it stops. Immutable; {@link
 * #defaults()} suits an account that production traffic shares.
 *
 * <pre>{@code
 * ScanOptions options = ScanOptions.builder()
 *     .budgetFraction(0.25)                // a quarter of each quota: busy account
 *     .usageWindow(Duration.ofDays(30))    // CloudTrail LookupEvents per key
 *     .timeout(Duration.ofMinutes(30))
 *     .build();
 * }</pre>
 */
public final class ScanOptions {
  /** The longest window {@code LookupEvents} can search: CloudTrail keeps 90 days of history. */
  public static final Duration MAX_LOOKUP_WINDOW = Duration.ofDays(90);

  private static final ScanOptions DEFAULTS = builder().build();

  private final int concurrency;
  private final int regionConcurrency;
  private final double budgetFraction;
  private final Map<String, Double> quotas;
  private final boolean lastUsage;
  private final @Nullable Duration usageWindow;
  private final @Nullable Path cloudTrailLogs;
  private final boolean trails;
  private final @Nullable Duration timeout;
  private final @Nullable Duration callTimeout;
  private final int scanRetries;
  private final Duration retryPause;

  private ScanOptions(Builder b) {
    this.concurrency = b.concurrency;
    this.regionConcurrency = b.regionConcurrency;
    this.budgetFraction = b.budgetFraction;
    this.quotas = Collections.unmodifiableMap(new TreeMap<>(b.quotas));
    this.lastUsage = b.lastUsage;
    this.usageWindow = b.usageWindow;
    this.cloudTrailLogs = b.cloudTrailLogs;
    this.trails = b.trails;
    this.timeout = b.timeout;
    this.callTimeout = b.callTimeout;
    this.scanRetries = b.scanRetries;
    this.retryPause = b.retryPause;
  }

  /** The defaults: 64 keys and 4 Regions at once, half of each quota, last usage on. */
  public static ScanOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** How many keys are read at once per account; see {@link Builder#concurrency(int)}. */
  public int concurrency() {
    return concurrency;
  }

  /** How many Regions are listed at once; see {@link Builder#regionConcurrency(int)}. */
  public int regionConcurrency() {
    return regionConcurrency;
  }

  /** The share of each request quota the scan spends; see {@link Builder#budgetFraction}. */
  public double budgetFraction() {
    return budgetFraction;
  }

  /** Request quotas that replace KMS's defaults; see {@link Builder#quota(String, double)}. */
  public Map<String, Double> quotas() {
    return quotas;
  }

  /** Whether {@code GetKeyLastUsage} is called; see {@link Builder#lastUsage(boolean)}. */
  public boolean lastUsage() {
    return lastUsage;
  }

  /** How far back CloudTrail usage is read, if at all; see {@link Builder#usageWindow}. */
  public Optional<Duration> usageWindow() {
    return Optional.ofNullable(usageWindow);
  }

  /** Exported CloudTrail log files to read; see {@link Builder#cloudTrailLogs(Path)}. */
  public Optional<Path> cloudTrailLogs() {
    return Optional.ofNullable(cloudTrailLogs);
  }

  /** Whether CloudTrail trails are read; see {@link Builder#trails(boolean)}. */
  public boolean trails() {
    return trails;
  }

  /** The longest the whole scan may take; see {@link Builder#timeout(Duration)}. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** The longest one call may take; see {@link Builder#callTimeout(Duration)}. */
  public Optional<Duration> callTimeout() {
    return Optional.ofNullable(callTimeout);
  }

  /** Retries after the SDK's own; see {@link Builder#scanRetries(int)}. */
  public int scanRetries() {
    return scanRetries;
  }

  /** The first pause before a scan-level retry; see {@link Builder#retryPause(Duration)}. */
  public Duration retryPause() {
    return retryPause;
  }

  @Override
  public String toString() {
    return "ScanOptions[concurrency="
        + concurrency
        + ", regionConcurrency="
        + regionConcurrency
        + ", budgetFraction="
        + budgetFraction
        + ", quotas="
        + quotas
        + ", lastUsage="
        + lastUsage
        + ", usageWindow="
        + usageWindow
        + ", cloudTrailLogs="
        + cloudTrailLogs
        + ", trails="
        + trails
        + ", timeout="
        + timeout
        + ", callTimeout="
        + callTimeout
        + ", scanRetries="
        + scanRetries
        + ", retryPause="
        + retryPause
        + "]";
  }

  /** Builds {@link ScanOptions}. Not thread-safe. */
  public static final class Builder {
    private int concurrency = 64;
    private int regionConcurrency = 4;
    private double budgetFraction = 0.5;
    private final Map<String, Double> quotas = new TreeMap<>();
    private boolean lastUsage = true;
    private @Nullable Duration usageWindow;
    private @Nullable Path cloudTrailLogs;
    private boolean trails = true;
    private @Nullable Duration timeout;
    private @Nullable Duration callTimeout;
    private int scanRetries = 2;
    private Duration retryPause = Duration.ofMillis(500);

    private Builder() {}

    private Builder(ScanOptions o) {
      this.concurrency = o.concurrency;
      this.regionConcurrency = o.regionConcurrency;
      this.budgetFraction = o.budgetFraction;
      this.quotas.putAll(o.quotas);
      this.lastUsage = o.lastUsage;
      this.usageWindow = o.usageWindow;
      this.cloudTrailLogs = o.cloudTrailLogs;
      this.trails = o.trails;
      this.timeout = o.timeout;
      this.callTimeout = o.callTimeout;
      this.scanRetries = o.scanRetries;
      this.retryPause = o.retryPause;
    }

    /**
     * Sets how many keys of an account are read at once (64 by default). A key's calls run one
     * after another, so to keep the busiest quota busy the scan needs about {@code rate × calls per
     * key × call latency} keys in flight: {@code ListGrants} at 50 per second, six calls and 50 ms
     * per call need 15, and a Region across the world (250 ms) needs 75. Threads that wait for a
     * permit cost nothing, and the rate limits, not this number, bound the request rate; the
     * statistics report the mean call duration seen.
     *
     * @throws IllegalArgumentException if {@code concurrency} is below 1 or above 1,024
     */
    public Builder concurrency(int concurrency) {
      this.concurrency = between("concurrency", concurrency, 1, 1024);
      return this;
    }

    /**
     * Sets how many Regions are listed at once (4 by default); their keys share the {@link
     * #concurrency(int) key concurrency}, each Region with its own quota buckets.
     *
     * @throws IllegalArgumentException if {@code regionConcurrency} is below 1 or above 64
     */
    public Builder regionConcurrency(int regionConcurrency) {
      this.regionConcurrency = between("region concurrency", regionConcurrency, 1, 64);
      return this;
    }

    /**
     * Sets the share of each request quota the scan may spend (0.5 by default). KMS's request
     * quotas are per account and Region and shared by every caller in the account, production
     * traffic and AWS services acting for it included, so a scan that used all of a quota would
     * throttle them.
     *
     * @throws IllegalArgumentException if {@code fraction} is not in (0, 1]
     */
    public Builder budgetFraction(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException(
            String.format(
                "budget fraction [%s] is not in (0, 1]; use 0.5 to spend half of each quota",
                fraction));
      }
      this.budgetFraction = fraction;
      return this;
    }

    /**
     * Sets the request quota of {@code operation} (such as {@code ListGrants}) to {@code
     * requestsPerSecond}, replacing KMS's default: read the account's live values from Service
     * Quotas (service code {@code kms}) when they were raised.
     *
     * @throws IllegalArgumentException if the operation is blank or the rate not positive
     */
    public Builder quota(String operation, double requestsPerSecond) {
      Objects.requireNonNull(operation, "operation");
      if (operation.isBlank()) {
        throw new IllegalArgumentException(
            "quota operation [] is blank; use an operation name such as ListGrants");
      }
      if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
        throw new IllegalArgumentException(
            String.format(
                "quota of [%s] [%s] is not a positive number of requests per second",
                operation, requestsPerSecond));
      }
      quotas.put(operation, requestsPerSecond);
      return this;
    }

    /**
     * Sets whether {@code GetKeyLastUsage} is called for customer-managed keys (on by default). Its
     * default quota is 5 requests per second, so at the default budget it is a scan's dominant
     * cost: about 400 seconds per 1,000 keys and Region. Without it the key's {@code lastUsage} is
     * not collected, and the rules that need it report UNKNOWN. Also decides whether CloudTrail
     * usage ({@link #usageWindow}, {@link #cloudTrailLogs}) is read.
     */
    public Builder lastUsage(boolean lastUsage) {
      this.lastUsage = lastUsage;
      return this;
    }

    /**
     * Reads each key's CloudTrail events of the last {@code window} (at most 90 days) with {@code
     * LookupEvents} ({@code ResourceName} = the key ARN, 50 events a page, at its quota of 2
     * requests per second times the budget): who called with the key, which AWS services acted for
     * them, and the key events the deletion rules need. Needs CloudTrail clients. Off by default: a
     * busy key has many pages. With {@link #cloudTrailLogs(Path) log files}, the window limits
     * which records count and {@code LookupEvents} is not called.
     *
     * @throws IllegalArgumentException if {@code window} is not positive or exceeds 90 days
     */
    public Builder usageWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero() || window.compareTo(MAX_LOOKUP_WINDOW) > 0) {
        throw new IllegalArgumentException(
            String.format(
                "usage window [%s] is not between 1 second and 90 days; CloudTrail event history"
                    + " keeps 90 days",
                window));
      }
      this.usageWindow = window;
      return this;
    }

    /**
     * Reads CloudTrail log files exported to {@code directory} (an S3 bucket synced to disk): every
     * {@code *.json.gz} and {@code *.json} file below it, each one {@code {"Records": […]}} object,
     * streamed one record at a time in bounded memory, skipping {@code CloudTrail-Digest/} and
     * {@code CloudTrail-Insight/}. Replaces {@code LookupEvents}.
     */
    public Builder cloudTrailLogs(Path directory) {
      this.cloudTrailLogs = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Sets whether the trails and event data stores of CloudTrail are read when CloudTrail clients
     * are given (on by default).
     */
    public Builder trails(boolean trails) {
      this.trails = trails;
      return this;
    }

    /**
     * Sets the longest the whole scan may take. When it ends, keys not yet read stay in the
     * snapshot marked unreadable with that reason, and Regions not yet listed are collection
     * errors, so a timed-out scan never looks complete. No timeout by default.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /**
     * Sets the longest one API call may take, the SDK's retries included ({@code apiCallTimeout} on
     * each request); the client's setting by default.
     *
     * @throws IllegalArgumentException if {@code callTimeout} is not positive
     */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = positive("call timeout", callTimeout);
      return this;
    }

    /**
     * Sets how many times a request that is still throttled or failing after the SDK's own retries
     * is retried, after a pause (2 by default; 0 turns this off). Listings need it most: a {@code
     * ListKeys} page that fails would lose every key after it.
     *
     * @throws IllegalArgumentException if {@code retries} is negative or above 10
     */
    public Builder scanRetries(int retries) {
      this.scanRetries = between("scan retries", retries, 0, 10);
      return this;
    }

    /**
     * Sets the first pause before a scan-level retry (500 ms by default); each further retry
     * doubles it, with jitter.
     *
     * @throws IllegalArgumentException if {@code pause} is negative
     */
    public Builder retryPause(Duration pause) {
      Objects.requireNonNull(pause, "pause");
      if (pause.isNegative()) {
        throw new IllegalArgumentException(
            String.format("retry pause [%s] is negative; expected zero or more", pause));
      }
      this.retryPause = pause;
      return this;
    }

    private static int between(String what, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            String.format("%s [%d] is not between %d and %d", what, value, min, max));
      }
      return value;
    }

    private static Duration positive(String what, Duration value) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(String.format("%s [%s] is not positive", what, value));
      }
      return value;
    }

    /** Builds the options. */
    public ScanOptions build() {
      return new ScanOptions(this);
    }
  }
}
