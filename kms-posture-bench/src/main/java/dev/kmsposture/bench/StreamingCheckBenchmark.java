package dev.kmsposture.bench;

import dev.kmsposture.report.FindingSpool;
import dev.kmsposture.report.MarkdownReportWriter;
import dev.kmsposture.report.MarkdownSpool;
import dev.kmsposture.report.SarifReportWriter;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.testing.ScaleSnapshots;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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

/**
 * A streaming check of {@code keys} keys that are never all in memory: keys are handed to {@link
 * PostureEngine#start} one at a time from a pool of 10,000 generated ones (the realistic mix of
 * {@link PostureEngineBenchmark}, policies from templates), as a snapshot read key by key would
 * hand them over. One operation is one check of all keys. Run with {@code -prof gc}: the allocation
 * per key stays the same from 10,000 to 1,000,000 keys, and with {@code -Xmx512m} the million-key
 * check runs in a heap that holds only the pool, the spool's findings in memory and the
 * multi-Region keys (about 4% of the mix), which a check holds until its end.
 *
 * <ul>
 *   <li>{@code engine}: findings go to a sink that counts them: the rules' time alone;
 *   <li>{@code engineAndSpool}: findings go to a {@link FindingSpool} keeping what SARIF writes
 *       (failures and unknown results), spilling to files past 200,000, and are then read back in
 *       report order: everything a SARIF check does but reading JSON and printing;
 *   <li>{@code engineAndMarkdown}: findings go to a {@link MarkdownSpool} (whole keys, spilling
 *       sorted runs to files) and the Markdown report is written to a writer that counts
 *       characters: everything a Markdown check does but reading JSON and printing.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class StreamingCheckBenchmark {
  static final int POOL = 10_000;

  /** The number of keys checked. */
  @Param({"10000", "100000", "1000000"})
  public int keys;

  private List<KeySnapshot> pool;
  private AccountSnapshot header;
  private PostureEngine engine;
  private Path spoolDirectory;

  /** Generates the pool with a fixed seed. */
  @Setup
  public void setUp() throws IOException {
    AccountSnapshot snapshot =
        ScaleSnapshots.snapshot(POOL, new Random(ScaleSnapshots.SEED), false);
    pool = snapshot.keys();
    header = snapshot;
    engine = PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();
    spoolDirectory = Files.createTempDirectory("kms-posture-bench-spool");
  }

  /** Deletes the spool directory. */
  @TearDown
  public void tearDown() throws IOException {
    Files.deleteIfExists(spoolDirectory);
  }

  /** The engine alone: findings counted. */
  @Benchmark
  public long engine() {
    PostureEngineBenchmark.CountingSink sink = new PostureEngineBenchmark.CountingSink();
    PostureEngine.Session session = engine.start(header, "", sink);
    for (int i = 0; i < keys; i++) {
      session.check(pool.get(i % POOL));
    }
    session.finish(header);
    return sink.count;
  }

  /** The engine and the spool: findings a SARIF report writes, read back in report order. */
  @Benchmark
  @SuppressWarnings("EnumOrdinal") // a cheap value of every finding, for JMH to consume
  public long engineAndSpool() {
    SarifReportWriter sarif = new SarifReportWriter();
    try (FindingSpool spool =
        FindingSpool.create(sarif::includes, spoolDirectory, FindingSpool.DEFAULT_MAX_IN_MEMORY)) {
      PostureEngine.Session session = engine.start(header, "", spool);
      for (int i = 0; i < keys; i++) {
        session.check(pool.get(i % POOL));
      }
      session.finish(header);
      long n = 0;
      for (Finding f : spool.inReportOrder()) {
        n += f.status().ordinal();
      }
      return n;
    }
  }

  /** The engine, the Markdown spool and the Markdown writer, into a writer that counts. */
  @Benchmark
  public long engineAndMarkdown() throws IOException {
    try (MarkdownSpool spool = MarkdownSpool.create(spoolDirectory, 131_072)) {
      PostureEngine.Session session = engine.start(header, "", spool);
      for (int i = 0; i < keys; i++) {
        session.check(pool.get(i % POOL));
      }
      CountingWriter out = new CountingWriter();
      new MarkdownReportWriter().write(session.finish(header), spool, out);
      return out.count;
    }
  }

  /** Counts the characters written. */
  static final class CountingWriter extends Writer {
    long count;

    @Override
    public void write(char[] buffer, int offset, int length) {
      count += length;
    }

    @Override
    public void write(String s, int offset, int length) {
      count += length;
    }

    @Override
    public Writer append(CharSequence s, int start, int end) {
      count += end - start;
      return this;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
