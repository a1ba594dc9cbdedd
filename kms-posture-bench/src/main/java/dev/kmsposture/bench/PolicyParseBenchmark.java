package dev.kmsposture.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.policy.KeyPolicy;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the strict policy model costs over plain JSON: {@link #parseAndWriteCanonical()} parses the
 * ten-statement key policy with {@link KeyPolicy#parse(String)} (size and character checks,
 * duplicate-key detection, the typed model) and writes its canonical form; {@link
 * #jacksonReadTree()} reads the same text into a Jackson tree. The ratio of their operations per
 * second is the figure; the aim is for the model to cost no more than three times the raw parse.
 *
 * <p>The model runs much more code than Jackson's tight loop, so it needs a longer warm-up before
 * the JIT has compiled it: with only a few seconds of warm-up (or on a busy machine) the model is
 * measured partly interpreted and the ratio comes out several times worse than it is.
 *
 * <pre>
 * java -jar kms-posture-bench/target/benchmarks.jar PolicyParseBenchmark -f 1 -wi 10 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyParseBenchmark {
  private final ObjectMapper mapper = new ObjectMapper();
  private String policyJson = "";

  /** Creates the benchmark state; JMH calls this. */
  public PolicyParseBenchmark() {}

  /** Loads the policy text once per trial and checks that the model reads it. */
  @Setup
  public void loadPolicy() {
    policyJson = JsonBaselineBenchmark.resourceText(JsonBaselineBenchmark.TEN_STATEMENTS);
    int statements = KeyPolicy.parse(policyJson).statements().size();
    if (statements != 10) {
      throw new IllegalStateException(
          String.format("the benchmark policy has %d statements; expected 10", statements));
    }
  }

  /**
   * Parses the policy strictly into the model and writes its canonical JSON.
   *
   * @return the canonical text, so that JMH keeps the work alive
   */
  @Benchmark
  public String parseAndWriteCanonical() {
    return KeyPolicy.parse(policyJson).toJson();
  }

  /**
   * Reads the same text into a Jackson tree, with no policy model: the baseline.
   *
   * @return the tree, so that JMH keeps the work alive
   * @throws IOException never for the bundled policy
   */
  @Benchmark
  public JsonNode jacksonReadTree() throws IOException {
    return mapper.readTree(policyJson);
  }
}
