package dev.kmsposture.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * The baseline for policy parsing: reading a realistic ten-statement key policy into a Jackson
 * tree, with no policy model on top. A policy-model benchmark set beside it shows what the model
 * costs over plain JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonBaselineBenchmark {
  /** The class-path resource holding the ten-statement policy. */
  public static final String TEN_STATEMENTS = "/policies/ten-statements.json";

  private final ObjectMapper mapper = new ObjectMapper();
  private String policyJson = "";

  /** Creates the benchmark state; JMH calls this. */
  public JsonBaselineBenchmark() {}

  /** Loads the policy text once per trial. */
  @Setup
  public void loadPolicy() {
    policyJson = resourceText(TEN_STATEMENTS);
  }

  /**
   * Parses the ten-statement policy into a tree.
   *
   * @return the tree, so that JMH keeps the work alive
   * @throws IOException never for the bundled policy
   */
  @Benchmark
  public JsonNode readTree() throws IOException {
    return mapper.readTree(policyJson);
  }

  /**
   * Returns the UTF-8 text of a class-path resource of this module.
   *
   * @param name the absolute resource name, such as {@link #TEN_STATEMENTS}
   * @throws IllegalArgumentException if there is no such resource
   */
  public static String resourceText(String name) {
    try (InputStream in = JsonBaselineBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException(
            String.format("resource [%s] is not on the class path", name));
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(String.format("cannot read resource [%s]", name), e);
    }
  }
}
