package dev.kmsposture.bench;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.FindingSink;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.testing.ScaleSnapshots;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole rule library over an account snapshot of {@code keys} keys, on one thread: one
 * operation is one {@link PostureEngine#check} of the whole snapshot (time per operation; divide by
 * the key count for the cost per key). The snapshot is a realistic mix generated with a fixed seed
 * ({@link ScaleSnapshots}, in core's test jar): symmetric customer-managed keys with
 * least-privilege, default and public policies, asymmetric and HMAC keys, imported material,
 * multi-Region primaries and replicas, AWS-managed keys, grants, usage and events.
 *
 * <p>{@code policies} chooses how key policies repeat. {@code templates} (the realistic case): each
 * key carries its own copy of its policy text, made from a handful of templates that differ in the
 * application role they name, about 100 distinct texts, as in an account whose keys come from the
 * console default, CDK or Terraform modules. The engine parses, validates and analyses each
 * distinct text once per check. {@code unique} (the worst case): every key's policy names its own
 * roles, so every policy text differs and every check parses, validates and analyses every policy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
public class PostureEngineBenchmark {
  /** The number of keys in the snapshot. */
  @Param({"1000", "10000", "100000"})
  public int keys;

  /** {@code templates}: policies repeat as in a real account; {@code unique}: all differ. */
  @Param({"templates", "unique"})
  public String policies;

  private AccountSnapshot snapshot;
  private PostureEngine engine;

  /** Generates the snapshot with a fixed seed and builds the engine with every built-in rule. */
  @Setup
  public void setUp() {
    snapshot =
        ScaleSnapshots.snapshot(keys, new Random(ScaleSnapshots.SEED), policies.equals("unique"));
    engine = PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();
  }

  /** Checks the whole snapshot. */
  @Benchmark
  public PostureReport checkSnapshot() {
    return engine.check(snapshot);
  }

  /**
   * Checks the same snapshot as a stream ({@link PostureEngine#start}): each key handed over in
   * turn, each finding to a sink that only counts it. The engine's own time, with no report held or
   * ordered.
   */
  @Benchmark
  public long checkStreaming() {
    CountingSink sink = new CountingSink();
    PostureEngine.Session session = engine.start(snapshot, "", sink);
    for (KeySnapshot key : snapshot.keys()) {
      session.check(key);
    }
    session.finish(snapshot);
    return sink.count;
  }

  /** Counts the findings it is handed, by status. */
  static final class CountingSink implements FindingSink {
    final long[] byStatus = new long[Status.values().length];
    long count;

    @Override
    @SuppressWarnings("EnumOrdinal") // a counter per status, the cheapest sink there is
    public void accept(Finding finding) {
      byStatus[finding.status().ordinal()]++;
      count++;
    }
  }
}
