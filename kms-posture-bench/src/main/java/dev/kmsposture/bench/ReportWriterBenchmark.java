package dev.kmsposture.bench;

import dev.kmsposture.report.ReportFormat;
import dev.kmsposture.report.ReportWriter;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureResults;
import dev.kmsposture.rules.PostureSummary;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.testing.ScaleSnapshots;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
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
 * Writing a report of the findings of {@code keys} generated keys (the realistic mix of {@link
 * PostureEngineBenchmark}, policies from templates) in {@code format}, to a buffered file writer as
 * {@code check --output} writes it. The findings are made once, in the set-up, and only those the
 * format writes are kept, so one operation is the writer's work alone: every finding read once (the
 * failures and unknown results twice for SARIF), printed and written to the file. About 30 findings
 * a key; SARIF writes the failures and unknown results, ASFF all but the not-applicable ones, JSON
 * every one.
 *
 * <p>{@code path} picks how the report reaches the file: {@code text} through {@link
 * ReportWriter#write(PostureResults, Writer)} and a buffered UTF-8 file writer (as {@code check
 * --output} wrote it before), {@code bytes} through {@link ReportWriter#write(PostureResults,
 * OutputStream, CodingErrorAction)} and a buffered file stream (as it writes it now: the JSON
 * formats print straight to UTF-8, their findings a chunk at a time on worker threads).
 *
 * <p>Time per operation. After each iteration the benchmark thread's CPU time per operation is
 * printed too, and the whole process's (which counts the workers of the {@code bytes} path): on a
 * shared machine the wall-clock score depends on what else runs, these figures (much) less. Only
 * public API is used, so the same benchmark runs against an older kms-posture-core put first on the
 * class path, to compare writers:
 *
 * <pre>
 * java -jar kms-posture-bench/target/benchmarks.jar ReportWriterBenchmark -prof gc
 * java -cp old-core.jar:kms-posture-bench/target/benchmarks.jar org.openjdk.jmh.Main \
 *     ReportWriterBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReportWriterBenchmark {
  /** The number of keys whose findings are written. */
  @Param({"10000"})
  public int keys;

  /** The report format: sarif, json or asff. */
  @Param({"sarif", "json", "asff"})
  public String format;

  /** How the report reaches the file: text (a Writer) or bytes (an OutputStream). */
  @Param({"text", "bytes"})
  public String path;

  private ReportWriter writer;
  private PostureResults results;
  private Path file;
  private long iterationOps;
  private long iterationCpuNanos;
  private long iterationProcessCpuNanos;

  /** Checks the generated keys (fixed seed) and keeps the findings the format writes. */
  @Setup
  public void setUp() throws IOException {
    writer = ReportFormat.valueOf(format.toUpperCase(Locale.ROOT)).writer();
    AccountSnapshot snapshot =
        ScaleSnapshots.snapshot(keys, new Random(ScaleSnapshots.SEED), false);
    PostureEngine engine = PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();
    List<Finding> kept = new ArrayList<>();
    PostureEngine.Session session =
        engine.start(
            snapshot,
            "/tmp/snapshot.json",
            f -> {
              if (writer.includes(f)) {
                kept.add(f);
              }
            });
    for (KeySnapshot k : snapshot.keys()) {
      session.check(k);
    }
    PostureSummary summary = session.finish(snapshot);
    kept.sort(PostureEngine.reportOrder());
    results = PostureResults.of(summary, List.copyOf(kept));
    file = Files.createTempFile("kms-posture-bench-report", "." + format);
  }

  /** Deletes the report file. */
  @TearDown
  public void tearDown() throws IOException {
    Files.deleteIfExists(file);
  }

  /** Starts counting the iteration's operations and CPU time. */
  @Setup(Level.Iteration)
  public void startCpu() {
    iterationOps = 0;
    iterationCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    iterationProcessCpuNanos = processCpuNanos();
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  /**
   * Prints the benchmark thread's CPU time per operation over the iteration.
   *
   * @param iteration the iteration that ended
   */
  @TearDown(Level.Iteration)
  public void cpuPerOperation(IterationParams iteration) {
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - iterationCpuNanos;
    long process = processCpuNanos() - iterationProcessCpuNanos;
    if (iterationOps > 0) {
      System.out.printf(
          "  [%s] %.1f ms of CPU per operation on the benchmark thread, %.1f ms in the process%n",
          iteration.getType() == IterationType.MEASUREMENT ? "measured" : "warmup",
          cpu / 1e6 / iterationOps,
          process / 1e6 / iterationOps);
    }
  }

  /** Writes the report to the file; returns its length. */
  @Benchmark
  public long write() throws IOException {
    iterationOps++;
    if (path.equals("bytes")) {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
        writer.write(results, out, CodingErrorAction.REPORT);
      }
    } else {
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        writer.write(results, out);
      }
    }
    return Files.size(file);
  }
}
