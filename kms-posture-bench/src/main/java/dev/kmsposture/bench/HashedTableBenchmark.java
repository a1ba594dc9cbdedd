package dev.kmsposture.bench;

import dev.kmsposture.internal.spill.HashedTable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The ARN table a check keeps per key (the snapshot reader's index of listed keys, the engine's
 * held multi-Region keys): {@code keys} key ARNs, as long as real ones (about 75 characters),
 * generated with a fixed seed. One operation is one pass over all ARNs (divide by {@code keys} for
 * the cost per ARN):
 *
 * <ul>
 *   <li>{@code fill}: a new table, every ARN put once (hashing, probing, growing and, past {@code
 *       budget} entries, moving to the mapped file);
 *   <li>{@code lookUp}: every ARN looked up once in a full table.
 * </ul>
 *
 * <p>{@code budget} is how many entries stay on the heap: 65,536 is the snapshot reader's default
 * (so 100,000 and more keys are in the file), 2,000,000 keeps them all on the heap.
 *
 * <p>On a shared machine the wall time is noisy: each iteration also prints the benchmark thread's
 * CPU time per ARN.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HashedTableBenchmark {
  /** The number of ARNs. */
  @Param({"100000", "1000000"})
  public int keys;

  /** How many entries are held on the heap before all go to the file. */
  @Param({"65536", "2000000"})
  public int budget;

  private String[] arns;
  private Path directory;
  private HashedTable full;
  private long iterationOps;
  private long iterationCpuNanos;

  /** Generates the ARNs and fills the table that {@link #lookUp} reads. */
  @Setup
  public void setUp() throws IOException {
    Random random = new Random(20261206L);
    String[] regions = {"us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"};
    arns = new String[keys];
    for (int i = 0; i < keys; i++) {
      arns[i] =
          "arn:aws:kms:"
              + regions[random.nextInt(regions.length)]
              + ":"
              + (100_000_000_000L + random.nextInt(1000))
              + ":key/"
              + new UUID(random.nextLong(), random.nextLong());
    }
    directory = Files.createTempDirectory("kms-posture-bench-table");
    full = filled();
  }

  /** Closes the table and deletes the directory. */
  @TearDown
  public void tearDown() throws IOException {
    full.close();
    Files.deleteIfExists(directory);
  }

  /** Starts counting the iteration's operations and CPU time. */
  @Setup(Level.Iteration)
  public void startCpu() {
    iterationOps = 0;
    iterationCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /**
   * Prints the benchmark thread's CPU time per ARN over the iteration.
   *
   * @param iteration the iteration that ended
   */
  @TearDown(Level.Iteration)
  public void cpuPerArn(IterationParams iteration) {
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - iterationCpuNanos;
    if (iterationOps > 0) {
      System.out.printf(
          "  [%s] %.1f ns of CPU per ARN%n",
          iteration.getType() == IterationType.MEASUREMENT ? "measured" : "warmup",
          (double) cpu / iterationOps / keys);
    }
  }

  /** A new table with every ARN put once. */
  @Benchmark
  public int fill() {
    iterationOps++;
    try (HashedTable table = filled()) {
      return table.size();
    }
  }

  private HashedTable filled() {
    HashedTable table = new HashedTable(budget, directory, "bench-");
    for (int i = 0; i < arns.length; i++) {
      table.put(arns[i], i + 1L, 0);
    }
    return table;
  }

  /** Every ARN looked up once in the full table. */
  @Benchmark
  public long lookUp() {
    iterationOps++;
    long sum = 0;
    for (String arn : arns) {
      sum += full.first(arn);
    }
    return sum;
  }
}
