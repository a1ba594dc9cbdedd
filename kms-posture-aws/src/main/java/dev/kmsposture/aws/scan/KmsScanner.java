package dev.kmsposture.aws.scan;

import dev.kmsposture.aws.internal.AccountScan;
import dev.kmsposture.aws.internal.ProgressTracker;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Reads the KMS keys of one account, in one or more Regions, into the {@link AccountSnapshot} the
 * rules judge — the same JSON {@code kms-posture check} reads — quickly, within KMS's request
 * quotas, and without losing a key when calls fail.
 *
 * <pre>{@code
 * try (KmsClient kms = KmsClient.builder()
 *         .region(Region.EU_WEST_1)
 *         .overrideConfiguration(o -> o.retryStrategy(RetryMode.ADAPTIVE_V2))
 *         .build();
 *     StsClient sts = StsClient.create()) {
 *   AccountSnapshot snapshot = KmsScanner.builder()
 *       .kmsClient(kms)
 *       .stsClient(sts)
 *       .build()
 *       .scan();
 *   PostureReport report = PostureEngine.builder().ruleSet(KmsPostureRules.all()).build()
 *       .check(snapshot);
 * }
 * }</pre>
 *
 * <h2>What it calls</h2>
 *
 * Per Region, once each: {@code ListAliases} and {@code ListKeys}, paginated. Per key: {@code
 * DescribeKey}; for customer-managed keys {@code GetKeyPolicy} ({@code PolicyName=default}), {@code
 * ListResourceTags}, {@code ListGrants} and {@code GetKeyLastUsage}; {@code GetKeyRotationStatus}
 * only for keys that can rotate automatically and {@code ListKeyRotations} only for keys that can
 * rotate automatically or on demand — decided from the metadata, never from an error. AWS managed
 * keys are listed and marked, with {@code DescribeKey} only. With CloudTrail clients, the trails
 * and event data stores; optionally {@code LookupEvents} per key. With an STS client, {@code
 * GetCallerIdentity} once. Never a call that changes anything.
 *
 * <h2>Speed within quotas</h2>
 *
 * Keys are read concurrently ({@link ScanOptions.Builder#concurrency(int)}), Regions listed
 * concurrently, and every request first takes a permit from a client-side rate limiter per (Region,
 * quota) running at the quota's default rate times the budget fraction (half by default):
 * production traffic shares those quotas. The statistics of {@link #scanWithStatistics()} report
 * the calls per operation and per key, the retries, the retry mode of each client (the scanner
 * recommends {@code RetryMode.ADAPTIVE_V2}) and the quota bound.
 *
 * <h2>Failures</h2>
 *
 * A part that cannot be read (access denied, the key deleted mid-scan, throttled past the SDK's and
 * the scanner's retries) stays out of the key with the reason in its {@code unreadable} parts, so
 * rules report UNKNOWN, never PASS; a key whose {@code DescribeKey} fails stays in the snapshot
 * with {@code METADATA} unreadable. A Region that fails is a collection error and the others
 * complete. Interrupting the thread that called {@link #scan()} cancels the scan; the {@linkplain
 * ScanOptions.Builder#timeout(java.time.Duration) timeout} ends it with what is read so far,
 * marked.
 *
 * <p>The scanner owns no client: the caller builds, configures and closes them. A scanner may scan
 * more than once; each scan has its own rate limits, so two scans of the same account at once spend
 * twice the budget.
 */
public final class KmsScanner {
  private final RegionalKmsClients kmsClients;
  private final List<Region> regions;
  private final @Nullable Function<Region, CloudTrailClient> cloudTrailClients;
  private final @Nullable StsClient sts;
  private final @Nullable AccountId account;
  private final ScanOptions options;
  private final ScanProgressListener listener;
  private final Clock clock;

  private KmsScanner(Builder b) {
    this.kmsClients = Objects.requireNonNull(b.kmsClients);
    this.regions = List.copyOf(b.regions);
    this.cloudTrailClients = b.cloudTrailClients;
    this.sts = b.sts;
    this.account = b.account;
    this.options = b.options;
    this.listener = b.listener;
    this.clock = b.clock;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Scans the account.
   *
   * @return the snapshot
   * @throws java.util.concurrent.CancellationException if the calling thread was interrupted (its
   *     interrupt flag stays set)
   * @throws ScanException if the account cannot be told (no STS client, no account id, no key)
   */
  public AccountSnapshot scan() {
    return scanWithStatistics().snapshot();
  }

  /**
   * Scans the account and reports what it cost.
   *
   * @return the snapshot and the statistics
   * @throws java.util.concurrent.CancellationException if the calling thread was interrupted
   * @throws ScanException if the account cannot be told
   */
  public ScanResult scanWithStatistics() {
    ProgressTracker progress = new ProgressTracker(listener);
    progress.accountsFound(1);
    try {
      ScanResult result = scan(progress, "kms-posture-scan");
      progress.accountScanned();
      return result;
    } catch (RuntimeException e) {
      progress.accountFailed();
      throw e;
    }
  }

  ScanResult scan(ProgressTracker progress, String threadName) {
    return AccountScan.run(
        new AccountScan.Setup(
            account == null ? null : account.value(),
            regions,
            kmsClients::client,
            cloudTrailClients,
            sts,
            options,
            clock,
            progress,
            threadName));
  }

  /** Builds a {@link KmsScanner}. Not thread-safe. */
  public static final class Builder {
    private @Nullable RegionalKmsClients kmsClients;
    private final List<Region> regions = new ArrayList<>();
    private @Nullable Function<Region, CloudTrailClient> cloudTrailClients;
    private @Nullable StsClient sts;
    private @Nullable AccountId account;
    private ScanOptions options = ScanOptions.defaults();
    private ScanProgressListener listener = ScanProgressListener.NONE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Scans one Region with {@code kms}, the Region its configuration names. Replaces any clients
     * and Regions set before.
     *
     * @throws IllegalArgumentException if the client names no Region
     */
    public Builder kmsClient(KmsClient kms) {
      Objects.requireNonNull(kms, "kms");
      Region region = kms.serviceClientConfiguration().region();
      if (region == null) {
        throw new IllegalArgumentException(
            "the KMS client names no Region; build it with .region(...) or use"
                + " kmsClients(RegionalKmsClients, regions)");
      }
      this.kmsClients = r -> kms;
      this.regions.clear();
      this.regions.add(region);
      return this;
    }

    /**
     * Scans {@code regions}, each with the client {@code clients} returns for it.
     *
     * @throws IllegalArgumentException if {@code regions} is empty
     */
    public Builder kmsClients(RegionalKmsClients clients, Collection<Region> regions) {
      Objects.requireNonNull(clients, "clients");
      Objects.requireNonNull(regions, "regions");
      if (regions.isEmpty()) {
        throw new IllegalArgumentException("regions [] is empty; give at least one Region to scan");
      }
      this.kmsClients = clients;
      this.regions.clear();
      this.regions.addAll(new LinkedHashSet<>(regions));
      return this;
    }

    /**
     * Reads CloudTrail (the trails and event data stores of every scanned Region, and {@code
     * LookupEvents} when a {@linkplain ScanOptions.Builder#usageWindow usage window} is set) with
     * the client {@code clients} returns for each Region. Without it, the snapshot's trails are not
     * collected.
     */
    public Builder cloudTrailClients(Function<Region, CloudTrailClient> clients) {
      this.cloudTrailClients = Objects.requireNonNull(clients, "clients");
      return this;
    }

    /**
     * Tells the account with STS {@code GetCallerIdentity}. Without it (and without {@link
     * #accountId}), the account is read from the first key ARN.
     */
    public Builder stsClient(StsClient sts) {
      this.sts = Objects.requireNonNull(sts, "sts");
      return this;
    }

    /** Names the account being scanned, so no call is needed to tell it. */
    public Builder accountId(AccountId account) {
      this.account = Objects.requireNonNull(account, "account");
      return this;
    }

    /** Sets the options; {@link ScanOptions#defaults()} by default. */
    public Builder options(ScanOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Changes the options from the defaults with {@code options}.
     *
     * @see ScanOptions.Builder
     */
    public Builder options(Consumer<ScanOptions.Builder> options) {
      Objects.requireNonNull(options, "options");
      ScanOptions.Builder b = this.options.toBuilder();
      options.accept(b);
      this.options = b.build();
      return this;
    }

    /** Hears the scan's progress; see {@link ScanProgressListener}. */
    public Builder progressListener(ScanProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Sets the clock of {@code capturedAt} (the rules' "now"); the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the scanner.
     *
     * @throws IllegalStateException if no KMS client was given
     */
    public KmsScanner build() {
      if (kmsClients == null) {
        throw new IllegalStateException(
            "no KMS client was given; call kmsClient(client) or kmsClients(clients, regions)");
      }
      return new KmsScanner(this);
    }
  }
}
