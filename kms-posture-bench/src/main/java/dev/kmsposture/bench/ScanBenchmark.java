package dev.kmsposture.bench;

import dev.kmsposture.aws.scan.KmsScanner;
import dev.kmsposture.aws.scan.ScanResult;
import dev.kmsposture.aws.scan.ScanStatistics;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.testkit.kms.Fault;
import dev.kmsposture.testkit.kms.KmsSeed;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import dev.kmsposture.testkit.kms.RequestQuotas;
import dev.kmsposture.testkit.kms.SeedKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The scan benchmark: {@code keys} customer-managed keys in one Region, served by {@link
 * LocalKmsServer} over real HTTP with {@code latencyMillis} of added latency per call and KMS's
 * default request quotas enforced, scanned by {@link KmsScanner} with its defaults (64 keys at
 * once, half of each quota). One operation is one whole scan (single shot).
 *
 * <p>After each scan it prints the wall time, the calls per key, the lower bound and the ratio of
 * the two, and the keys lost. The lower bound is the larger of the quota bound — the busiest quota
 * bucket's calls divided by its budgeted rate ({@code ListGrants} at 50 per second without last
 * usage, {@code GetKeyLastUsage} at 2.5 per second with it) — and the latency bound, one key's
 * calls one after another plus the listing. No scan within the budget can beat it; the target is at
 * most 1.3 times it, with zero keys lost.
 *
 * <p>Run: {@code java -jar kms-posture-bench/target/benchmarks.jar ScanBenchmark -p usage=false}
 * (about 20 s per scan), and {@code -p usage=true -wi 0 -i 1} (about 400 s: {@code
 * GetKeyLastUsage}'s quota of 5 per second dominates).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ScanBenchmark {
  static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

  /** The number of keys. */
  @Param({"1000"})
  public int keys;

  /** Added latency per call, in milliseconds. */
  @Param({"20"})
  public int latencyMillis;

  /** Whether {@code GetKeyLastUsage} is called (the scan's dominant cost when it is). */
  @Param({"false", "true"})
  public boolean usage;

  /** Keys read at once (the scanner's default is 64). */
  @Param({"64"})
  public int concurrency;

  private LocalKmsServer server;
  private KmsClient kms;
  private @Nullable ScanResult last;
  private long wallNanos;
  private long cpuNanos;

  /** Seeds the keys, starts the server with latency and default quotas, builds the client. */
  @Setup(Level.Trial)
  public void setUp() {
    List<SeedKey> seed = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      seed.add(
          SeedKey.builder()
              .keyId(String.format("bbbbbbbb-0000-4000-8000-%012d", i))
              .description("bench " + i)
              .creationDate(Instant.parse("2026-03-01T00:00:00Z"))
              .addAlias("alias/bench-" + i)
              .putTag("Environment", i % 2 == 0 ? "prod" : "dev")
              .rotationEnabled(i % 3 != 0)
              .addGrant(
                  g ->
                      g.granteePrincipal("arn:aws:iam::123456789012:role/app")
                          .addOperation("Decrypt"))
              .build());
    }
    LocalKms local =
        LocalKms.builder()
            .seed(KmsSeed.builder().keys(seed).build())
            .requestQuotas(RequestQuotas.defaults())
            .fault(Fault.latency(Duration.ofMillis(latencyMillis)))
            .build();
    server = LocalKmsServer.builder(local).threads(64).start();
    kms =
        KmsClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(server.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(LocalKms.DEFAULT_ACCESS_KEY_ID, "bench-secret")))
            .overrideConfiguration(o -> o.retryStrategy(RetryMode.ADAPTIVE_V2))
            .build();
  }

  /** Scans the account. */
  @Benchmark
  public ScanResult scan() {
    long start = System.nanoTime();
    long cpu = processCpuNanos();
    last =
        KmsScanner.builder()
            .kmsClient(kms)
            .accountId(dev.kmsposture.policy.AccountId.of("123456789012"))
            .options(o -> o.lastUsage(usage).concurrency(concurrency))
            .build()
            .scanWithStatistics();
    wallNanos = System.nanoTime() - start;
    cpuNanos = processCpuNanos() - cpu;
    return last;
  }

  /** CPU time of this JVM (scanner and embedded server together). */
  private static long processCpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  /** Prints the figures of the scan that just ran. */
  @TearDown(Level.Iteration)
  public void report() {
    if (last == null) {
      return;
    }
    ScanStatistics s = last.statistics();
    AccountSnapshot snapshot = last.snapshot();
    double wall = wallNanos / 1e9;
    double quotaBound = s.quotaBound().toNanos() / 1e9;
    // one key's calls one after another, plus one ListKeys and one ListAliases page
    double latencyBound = (s.callsPerKey() + 2) * latencyMillis / 1000.0;
    double bound = Math.max(quotaBound, latencyBound);
    long lost = keys - snapshot.keys().stream().filter(k -> k.unreadable().isEmpty()).count();
    System.out.printf(
        Locale.ROOT,
        "%nscan of %d keys (usage=%s, %d ms latency, concurrency %d): wall %.2f s, CPU %.2f s"
            + " (scanner and server), mean call %d ms, %d calls, %.2f calls per key, busiest quota"
            + " %s, quota bound %.2f s, latency bound %.2f s, ratio %.3f, keys lost or unread %d,"
            + " throttled attempts %s%n",
        keys,
        usage,
        latencyMillis,
        concurrency,
        wall,
        cpuNanos / 1e9,
        s.meanCallDuration().toMillis(),
        s.totalCalls(),
        s.callsPerKey(),
        s.busiestQuota(),
        quotaBound,
        latencyBound,
        wall / bound,
        lost,
        s.throttledByOperation());
  }

  /** Stops the server. */
  @TearDown(Level.Trial)
  public void tearDown() {
    kms.close();
    server.close();
  }
}
