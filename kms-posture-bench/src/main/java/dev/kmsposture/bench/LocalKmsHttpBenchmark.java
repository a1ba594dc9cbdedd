package dev.kmsposture.bench;

import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;

/**
 * The embedded KMS over real HTTP: a {@link LocalKmsServer} on 127.0.0.1 and a real SDK {@code
 * KmsClient} (the SDK's default HTTP client, keep-alive connections) calling Encrypt, Decrypt (1
 * KiB with a two-pair encryption context) and DescribeKey from several threads. Client and server
 * share the machine, so the figure is what a test suite on the same host gets. The target is at
 * least 5,000 requests/s on two cores.
 *
 * <pre>
 * java -jar kms-posture-bench/target/benchmarks.jar LocalKmsHttpBenchmark -f 1 -wi 5 -w 2s -i 5 -r 3s
 * </pre>
 *
 * <p>The in-process figure for the same calls (the SDK without a socket) is the {@code transport =
 * in-process} parameter.
 *
 * <p>On a shared machine the throughput depends on what else runs. The benchmark therefore also
 * prints, at the end of each trial, the process CPU time per request over the measurement
 * iterations (client, server, JIT and GC together) and the requests per second that two dedicated
 * cores would serve at that cost: {@code 2 s / (CPU time per request)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 3)
@Threads(4)
@Fork(1)
public class LocalKmsHttpBenchmark {
  /** How the client reaches the KMS: over HTTP, or in-process for comparison. */
  @Param({"http", "in-process"})
  public String transport = "http";

  private LocalKms kms = LocalKms.create();
  private AutoCloseable server = () -> {};
  private KmsClient client = kms.kmsClient(Region.US_EAST_1);
  private String keyId = "";
  private SdkBytes plaintext = SdkBytes.fromByteArray(new byte[0]);
  private SdkBytes blob = SdkBytes.fromByteArray(new byte[0]);
  private final Map<String, String> context =
      Map.of("aws:s3:arn", "arn:aws:s3:::bucket/key", "purpose", "bench");

  private final AtomicLong requests = new AtomicLong();
  private long measuredRequests;
  private long measuredCpuNanos;
  private long iterationRequests;
  private long iterationCpuNanos;
  private long measuredServerNanos;
  private long iterationServerNanos;

  /** Creates the benchmark state; JMH calls this. */
  public LocalKmsHttpBenchmark() {}

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The CPU time of the server's threads so far: its request threads ({@code local-kms-http-*}) and
   * the JDK server's dispatcher thread, which accepts and reads the connections.
   */
  private static long serverCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && (info.getThreadName().startsWith("local-kms-http-")
              || info.getThreadName().startsWith("HTTP-Dispatcher"))) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        total += Math.max(0, cpu);
      }
    }
    return total;
  }

  /** Notes the CPU time and request count at the start of an iteration. */
  @Setup(Level.Iteration)
  public void iterationStart() {
    iterationRequests = requests.get();
    iterationCpuNanos = processCpuNanos();
    iterationServerNanos = serverCpuNanos();
  }

  /**
   * Adds a measurement iteration's CPU time and requests to the trial's totals.
   *
   * @param iteration which iteration ended; warmup iterations are not counted
   */
  @TearDown(Level.Iteration)
  public void iterationEnd(IterationParams iteration) {
    if (iteration.getType() == IterationType.MEASUREMENT) {
      measuredRequests += requests.get() - iterationRequests;
      measuredCpuNanos += processCpuNanos() - iterationCpuNanos;
      measuredServerNanos += serverCpuNanos() - iterationServerNanos;
    }
  }

  /** Starts the server, makes a key and a blob once per trial, and checks the round trip. */
  @Setup(Level.Trial)
  public void start() {
    kms = LocalKms.create();
    client.close();
    if (transport.equals("http")) {
      LocalKmsServer http = LocalKmsServer.start(kms);
      server = http;
      client = http.kmsClient(Region.US_EAST_1);
    } else {
      client = kms.kmsClient(Region.US_EAST_1);
    }
    keyId = client.createKey().keyMetadata().keyId();
    byte[] bytes = new byte[1024];
    Arrays.fill(bytes, (byte) 7);
    plaintext = SdkBytes.fromByteArray(bytes);
    blob = encrypt();
    SdkBytes back = decrypt();
    if (!back.equals(plaintext)) {
      throw new IllegalStateException("the benchmark blob does not decrypt to its plaintext");
    }
  }

  /**
   * Stops the client and the server.
   *
   * @throws Exception if the server cannot stop
   */
  @TearDown(Level.Trial)
  public void stop() throws Exception {
    client.close();
    server.close();
    if (measuredRequests > 0) {
      double cpuMicrosPerRequest = measuredCpuNanos / 1e3 / measuredRequests;
      System.err.printf(
          "%n[%s] %d requests measured, %.1f µs of process CPU per request: %.0f requests/s on"
              + " two dedicated cores%n",
          transport, measuredRequests, cpuMicrosPerRequest, 2e6 / cpuMicrosPerRequest);
      if (transport.equals("http")) {
        double serverMicros = measuredServerNanos / 1e3 / measuredRequests;
        System.err.printf(
            "[http] the server's threads: %.1f µs of CPU per request (%.0f requests/s on two"
                + " cores if the server had them to itself); the rest, %.1f µs, is the client's"
                + " (the SDK and its HTTP client), JIT and GC%n",
            serverMicros, 2e6 / serverMicros, cpuMicrosPerRequest - serverMicros);
      }
    }
  }

  /**
   * Encrypt of 1 KiB under a symmetric key.
   *
   * @return the ciphertext blob, so that JMH keeps the work alive
   */
  @Benchmark
  public SdkBytes encrypt() {
    requests.incrementAndGet();
    return client
        .encrypt(b -> b.keyId(keyId).plaintext(plaintext).encryptionContext(context))
        .ciphertextBlob();
  }

  /**
   * Decrypt of the 1 KiB blob.
   *
   * @return the plaintext, so that JMH keeps the work alive
   */
  @Benchmark
  public SdkBytes decrypt() {
    requests.incrementAndGet();
    return client
        .decrypt(b -> b.ciphertextBlob(blob).keyId(keyId).encryptionContext(context))
        .plaintext();
  }

  /**
   * DescribeKey by key id.
   *
   * @return the response, so that JMH keeps the work alive
   */
  @Benchmark
  public DescribeKeyResponse describeKey() {
    requests.incrementAndGet();
    return client.describeKey(b -> b.keyId(keyId));
  }
}
