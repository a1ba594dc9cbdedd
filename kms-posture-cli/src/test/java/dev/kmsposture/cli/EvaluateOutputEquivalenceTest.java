package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.access.StatementRef;
import dev.kmsposture.policy.IdentityPolicy;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.StatementPlace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output of {@code evaluate} stays byte for byte what it was: against golden output written by
 * the implementation before the fast writer (one generator per batch, {@code writeStringField} with
 * the explanation as a String, a parser per line), and against that simple path rebuilt here, on
 * random streams of requests, bad lines, blank lines, CRLF endings, long values and over-long
 * lines, split into random reads and evaluated by 1 to 4 workers.
 */
// Preemptive: a hang in the pipeline fails the test with its stack instead of stalling the build.
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EvaluateOutputEquivalenceTest {
  // One random stream's run must end within this (a hang fails the example, naming its seed).
  private static final long RUN_BOUND_SECONDS = 60;

  private static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String APP = "arn:aws:iam::111122223333:role/App";

  @TempDir Path dir;

  private static byte[] resource(String name) {
    try (InputStream in =
        Objects.requireNonNull(
            EvaluateOutputEquivalenceTest.class.getResourceAsStream("/evaluate-golden/" + name),
            name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KeyAccessEvaluator evaluator() {
    return KeyAccessEvaluator.builder()
        .keyPolicy(KeyPolicy.parse(new String(resource("policy.json"), StandardCharsets.UTF_8)))
        .keyArn(KEY)
        .addIdentityPolicy(
            APP,
            IdentityPolicy.parse(
                "app-policy.json", new String(resource("app-policy.json"), StandardCharsets.UTF_8)))
        .build();
  }

  @Test
  void evaluate_goldenRequests_writesTheGoldenOutputByteForByte() throws IOException {
    // expected.jsonl was written by the previous implementation from requests.jsonl: 600 lines
    // with errors of every kind, blank lines, CRLF, escapes, non-ASCII text and long values.
    for (String name : List.of("policy.json", "app-policy.json", "requests.jsonl")) {
      Files.write(dir.resolve(name), resource(name));
    }
    StringWriter out = new StringWriter();
    int code =
        KmsPosture.commandLine(
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true),
                new ByteArrayInputStream(new byte[0]),
                name -> null)
            .execute(
                "evaluate",
                "--policy",
                dir.resolve("policy.json").toString(),
                "--identity-policy",
                APP + "=" + dir.resolve("app-policy.json"),
                "--key-arn",
                KEY,
                "--requests",
                dir.resolve("requests.jsonl").toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(out.toString())
        .isEqualTo(new String(resource("expected.jsonl"), StandardCharsets.UTF_8));
  }

  @Test
  void evaluate_randomStreams_writeWhatTheSimplePathWrites() {
    KeyAccessEvaluator evaluator = evaluator();
    List<String> pool = new ArrayList<>();
    for (String line :
        new String(resource("requests.jsonl"), StandardCharsets.UTF_8).split("\n", -1)) {
      pool.add(line);
    }
    qt().withFixedSeed(14_300L)
        .withExamples(60)
        .forAll(longs().all(), integers().between(1, 4))
        .checkAssert(
            (seed, workers) -> {
              byte[] input = stream(new SplittableRandom(seed), pool);
              byte[] expected = simplePath(evaluator, input);
              ByteArrayOutputStream actual = new ByteArrayOutputStream();
              runBounded(
                  () ->
                      new RequestStream(evaluator, true, workers)
                          .run(
                              new ChoppyInput(input, new SplittableRandom(seed ^ 1), 40_000),
                              actual),
                  seed,
                  workers);
              assertSameLines(
                  new String(actual.toByteArray(), StandardCharsets.UTF_8),
                  new String(expected, StandardCharsets.UTF_8));
            });
  }

  @Test
  void evaluate_manySmallReads_writeWhatTheSimplePathWrites() {
    // Reads of a few hundred bytes make thousands of small batches, handed between the reader, 2
    // to 4 workers and the writer as fast as they go: a buffer handed back for reuse while
    // another thread still used it showed here as a differing line now and then.
    KeyAccessEvaluator evaluator = evaluator();
    List<String> pool =
        List.of(new String(resource("requests.jsonl"), StandardCharsets.UTF_8).split("\n", -1));
    SplittableRandom r = new SplittableRandom(14_500L);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      sb.append(pool.get(r.nextInt(pool.size()))).append('\n');
    }
    byte[] input = sb.toString().getBytes(StandardCharsets.UTF_8);
    String expected = new String(simplePath(evaluator, input), StandardCharsets.UTF_8);
    qt().withFixedSeed(14_510L)
        .withExamples(20)
        .forAll(longs().all(), integers().between(2, 4))
        .checkAssert(
            (seed, workers) -> {
              ByteArrayOutputStream actual = new ByteArrayOutputStream();
              runBounded(
                  () ->
                      new RequestStream(evaluator, true, workers)
                          .run(new ChoppyInput(input, new SplittableRandom(seed), 600), actual),
                  seed,
                  workers);
              assertSameLines(new String(actual.toByteArray(), StandardCharsets.UTF_8), expected);
            });
  }

  /** Runs {@code run} on its own thread; a run that does not end in time fails as a hang. */
  private static void runBounded(Runnable run, long seed, int workers) {
    ExecutorService runner =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "equivalence-run");
              t.setDaemon(true);
              return t;
            });
    try {
      runner.submit(run).get(RUN_BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "evaluate pipeline hung: no end within "
              + RUN_BOUND_SECONDS
              + " s (seed "
              + seed
              + ", "
              + workers
              + " workers)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      throw new AssertionError(
          "evaluate pipeline failed (seed " + seed + ", " + workers + " workers)", e.getCause());
    } finally {
      runner.shutdownNow();
    }
  }

  // The first line that differs, rather than two megabytes of text.
  private static void assertSameLines(String actual, String expected) {
    String[] a = actual.split("\n", -1);
    String[] e = expected.split("\n", -1);
    for (int i = 0; i < Math.min(a.length, e.length); i++) {
      assertThat(a[i]).as("output line %d", i + 1).isEqualTo(e[i]);
    }
    assertThat(a.length).as("output lines").isEqualTo(e.length);
    assertThat(actual).isEqualTo(expected);
  }

  // Up to ~2,000 lines: golden request lines (valid and bad), mutations of them, long values, and
  // now and then a line longer than RequestStream.MAX_LINE_BYTES.
  private static byte[] stream(SplittableRandom r, List<String> pool) {
    StringBuilder sb = new StringBuilder();
    int lines = r.nextInt(1, 2_000);
    for (int i = 0; i < lines; i++) {
      int kind = r.nextInt(100);
      String line = pool.get(r.nextInt(pool.size()));
      if (kind < 8 && !line.isEmpty()) {
        int cut = r.nextInt(line.length());
        line = line.substring(0, cut) + line.substring(Math.min(line.length(), cut + 1));
      } else if (kind < 12) {
        line =
            "{\"principal\": \"arn:aws:iam::111122223333:user/"
                + "u".repeat(r.nextInt(50, 400))
                + "\", \"action\": \"kms:Encrypt\", \"context\": {\"kms:ViaService\": \""
                + "s".repeat(r.nextInt(150, 300))
                + "\"}}";
      } else if (kind < 14) {
        line = "{\"principal\": \"" + "x".repeat(r.nextInt(190, 260)) + "\"";
      } else if (kind == 14 && r.nextInt(10) == 0) {
        line = "{\"principal\": \"" + "y".repeat(RequestStream.MAX_LINE_BYTES) + "\"}";
      }
      sb.append(line).append(r.nextInt(20) == 0 ? "\r\n" : "\n");
    }
    if (r.nextBoolean()) {
      sb.setLength(sb.length() - 1); // no newline after the last line
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The simple path: each line parsed on its own, each decision written field by field with the
   * explanation as a String, one generator for the whole output, one thread.
   */
  private static byte[] simplePath(KeyAccessEvaluator evaluator, byte[] input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator gen = new JsonFactory().createGenerator(out)) {
      gen.setRootValueSeparator(null);
      int start = 0;
      long number = 0;
      while (start < input.length) {
        int nl = start;
        while (nl < input.length && input[nl] != '\n') {
          nl++;
        }
        number++;
        int length = nl - start;
        if (length > 0 && input[nl - 1] == '\r') {
          length--;
        }
        if (length > RequestStream.MAX_LINE_BYTES) {
          error(
              gen,
              number,
              "longer than "
                  + RequestStream.MAX_LINE_BYTES
                  + " bytes; the line was skipped unread");
        } else if (!blank(input, start, length)) {
          try {
            AccessRequest request = RequestParser.parse(input, start, length);
            Decision d = evaluator.evaluate(request);
            decision(gen, number, d);
          } catch (RequestParser.BadLineException e) {
            error(gen, number, String.valueOf(e.getMessage()));
          }
        }
        start = nl + 1;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  // Blank: spaces, tabs and carriage returns only (documented in docs/evaluator.md).
  private static boolean blank(byte[] input, int start, int length) {
    for (int i = start; i < start + length; i++) {
      if (input[i] != ' ' && input[i] != '\t' && input[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  private static void error(JsonGenerator gen, long number, String message) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("line", number);
    gen.writeStringField("error", "line " + number + ": " + message);
    gen.writeEndObject();
    gen.writeRaw('\n');
  }

  private static void decision(JsonGenerator gen, long number, Decision d) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("line", number);
    gen.writeStringField("decision", d.outcome().name());
    gen.writeBooleanField("delegatedToIam", d.delegatedToIam());
    gen.writeArrayFieldStart("statements");
    for (StatementRef s : d.statements()) {
      gen.writeStartObject();
      gen.writeStringField("source", s.source());
      StatementPlace at = s.place();
      gen.writeNumberField("index", at == null ? -1 : at.index());
      gen.writeStringField("sid", at == null ? null : at.sid());
      gen.writeStringField("pointer", at == null ? "" : at.pointer());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeStringField("explanation", d.explanation());
    gen.writeEndObject();
    gen.writeRaw('\n');
  }

  /** Input that arrives in reads of random sizes, as from a pipe. */
  private static final class ChoppyInput extends InputStream {
    private final byte[] data;
    private final SplittableRandom random;
    private final int maxRead;
    private int pos;

    ChoppyInput(byte[] data, SplittableRandom random, int maxRead) {
      this.data = data;
      this.random = random;
      this.maxRead = maxRead;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, data.length - pos), 1 + random.nextInt(maxRead));
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
