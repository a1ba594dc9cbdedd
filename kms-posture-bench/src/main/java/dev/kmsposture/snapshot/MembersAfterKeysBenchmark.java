package dev.kmsposture.snapshot;

import dev.kmsposture.testing.ScaleSnapshots;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The look-ahead's scan over a snapshot's keys for the members after them ({@link
 * MembersAfterKeys}), which a check of a version 3 snapshot without an inventory before its keys
 * runs before it judges any key: {@code keys} keys as {@code kms-posture scan} writes them (the
 * realistic mix of {@link ScaleSnapshots}, about 1.9 KB each, most of it the key policy, a string
 * full of escaped quotes), in memory. One operation is one scan of the whole document; the scan's
 * speed in MB/s is the document's size (printed at set-up) over the time, and each iteration also
 * prints it over the benchmark thread's CPU time.
 *
 * <ul>
 *   <li>{@code blocks}: the scan as it is, 64 bytes at a time;
 *   <li>{@code byteAtATime}: the scan it replaced ({@link MembersAfterKeysReference}, core's test
 *       code), for comparison.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MembersAfterKeysBenchmark {
  /** The number of keys in the document. */
  @Param({"20000"})
  public int keys;

  /** Which scan: {@code blocks} or {@code byteAtATime}. */
  @Param({"blocks", "byteAtATime"})
  public String scan;

  private byte[] document = new byte[0];
  private long keysAt;
  private long iterationOps;
  private long iterationCpuNanos;

  /**
   * Writes the document with a fixed seed.
   *
   * @throws IOException never (written to memory)
   */
  @Setup
  public void setUp() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ScaleSnapshots.write(keys, false, false, false, out);
    document = out.toByteArray();
    keysAt = new String(document, 0, 4096, StandardCharsets.ISO_8859_1).indexOf("\"keys\" : [");
    keysAt += "\"keys\" : ".length();
    if (document[(int) keysAt] != '[' || scanOnce() == null) {
      throw new IllegalStateException("the generated document has no keys array to scan");
    }
    System.out.printf("%n%d keys, %.1f MB%n", keys, document.length / 1e6);
  }

  /** Starts counting the iteration's operations and CPU time. */
  @Setup(Level.Iteration)
  public void startCpu() {
    iterationOps = 0;
    iterationCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /**
   * Prints the scan's speed over the benchmark thread's CPU time in the iteration (on a shared
   * machine the wall-clock score says more about the other processes).
   *
   * @param iteration the iteration that ended
   */
  @TearDown(Level.Iteration)
  public void cpuSpeed(IterationParams iteration) {
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - iterationCpuNanos;
    if (iterationOps > 0 && cpu > 0) {
      System.out.printf(
          "  [%s] %.0f MB/s of CPU%n",
          iteration.getType() == IterationType.MEASUREMENT ? "measured" : "warmup",
          document.length * (double) iterationOps / 1e6 / (cpu / 1e9));
    }
  }

  /**
   * Scans the document once.
   *
   * @return the members after the keys
   * @throws IOException never (read from memory)
   */
  @Benchmark
  public byte[] find() throws IOException {
    iterationOps++;
    byte[] after = scanOnce();
    if (after == null) {
      throw new IllegalStateException("the keys array did not end");
    }
    return after;
  }

  private byte[] scanOnce() throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(document);
    return scan.equals("blocks")
        ? MembersAfterKeys.find(in, keysAt, SnapshotReader.DEFAULT_MAX_KEY_BYTES)
        : MembersAfterKeysReference.find(in, keysAt, SnapshotReader.DEFAULT_MAX_KEY_BYTES);
  }
}
