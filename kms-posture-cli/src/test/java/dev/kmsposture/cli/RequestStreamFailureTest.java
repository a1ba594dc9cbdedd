package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.KeyPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code evaluate} pipeline fails safe: a request that makes the evaluator throw, a failing
 * output, or a stream of nothing but error lines ends the run (with the failure, or with one error
 * line per bad line) instead of hanging, and its threads end with it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RequestStreamFailureTest {
  private static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  // Each example's run must end within this; a hang fails the example with its seed.
  private static final long BOUND_SECONDS = 30;

  private static final ExecutorService RUNNER =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "request-stream-test");
            t.setDaemon(true);
            return t;
          });

  private static final KeyAccessEvaluator EVALUATOR =
      KeyAccessEvaluator.builder()
          .keyPolicy(
              KeyPolicy.parse(
                  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":"
                      + "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
                      + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"))
          .keyArn(KEY)
          .build();

  @AfterAll
  static void stopRunner() {
    RUNNER.shutdownNow();
  }

  @Test
  void run_evaluatorThrowsOnOneLine_endsWithThatFailureAndItsThreadsEnd() {
    qt().withFixedSeed(14_410L)
        .withExamples(40)
        .forAll(longs().all(), integers().between(1, 4))
        .checkAssert(
            (seed, workers) -> {
              SplittableRandom r = new SplittableRandom(seed);
              int lines = r.nextInt(1, 20_000);
              long failing = r.nextLong(1, lines + 1);
              IllegalStateException boom = new IllegalStateException("boom at " + failing);
              RequestStream stream =
                  new RequestStream(
                      request -> {
                        if (number(request) == failing) {
                          throw boom;
                        }
                        return EVALUATOR.evaluate(request);
                      },
                      true,
                      workers);
              byte[] input = requests(lines, r);
              Set<Thread> before = Thread.getAllStackTraces().keySet();

              assertThatThrownBy(
                      () ->
                          bounded(
                              () ->
                                  stream.run(
                                      choppy(input, r.split()), OutputStream.nullOutputStream()),
                              seed,
                              workers))
                  .isSameAs(boom);
              assertPipelineThreadsEnd(before);
            });
  }

  @Test
  void run_evaluatorThrowsAnError_endsWithThatError() {
    AssertionError err = new AssertionError("broken evaluator");
    RequestStream stream =
        new RequestStream(
            request -> {
              if (number(request) == 3_000) {
                throw err;
              }
              return EVALUATOR.evaluate(request);
            },
            true,
            3);
    byte[] input = requests(10_000, new SplittableRandom(1));

    assertThatThrownBy(
            () ->
                bounded(
                    () ->
                        stream.run(
                            new ByteArrayInputStream(input), OutputStream.nullOutputStream()),
                    1,
                    3))
        .isSameAs(err);
  }

  @Test
  void run_nothingButErrorLines_writesOneErrorLinePerLineAndEnds() {
    List<String> bad =
        List.of(
            "{",
            "not json",
            "{\"principal\": 1}",
            "{\"principal\": \"arn:aws:iam::111122223333:role/App\", \"action\": \"kms:Decrypt\","
                + " \"permissionsBoundary\": \"yes\"}",
            "{\"unknown\": true}",
            "[]",
            "{\"principal\": \"arn:aws:iam::111122223333:role/App\"",
            "{\"principal\": \"" + "z".repeat(RequestStream.MAX_LINE_BYTES) + "\"}");
    qt().withFixedSeed(14_420L)
        .withExamples(30)
        .forAll(longs().all(), integers().between(1, 4))
        .checkAssert(
            (seed, workers) -> {
              SplittableRandom r = new SplittableRandom(seed);
              int lines = r.nextInt(1, 3_000);
              StringBuilder sb = new StringBuilder();
              for (int i = 0; i < lines; i++) {
                // The over-long line at most now and then: each is a megabyte.
                int pick = r.nextInt(r.nextInt(200) == 0 ? bad.size() : bad.size() - 1);
                sb.append(bad.get(pick)).append('\n');
              }
              byte[] input = sb.toString().getBytes(StandardCharsets.UTF_8);
              CountingOutput out = new CountingOutput();

              RequestStream.Counts counts =
                  bounded(
                      () -> new RequestStream(EVALUATOR, true, workers).run(choppy(input, r), out),
                      seed,
                      workers);

              assertThat(counts).isEqualTo(new RequestStream.Counts(0, 0, lines));
              assertThat(out.newlines).isEqualTo(lines);
            });
  }

  @Test
  void run_outputFailsMidStream_endsWithTheFailureAndItsThreadsEnd() {
    qt().withFixedSeed(14_430L)
        .withExamples(20)
        .forAll(longs().all(), integers().between(1, 4))
        .checkAssert(
            (seed, workers) -> {
              SplittableRandom r = new SplittableRandom(seed);
              byte[] input = requests(r.nextInt(1, 20_000), r);
              long failAfter = r.nextLong(0, 200_000);
              OutputStream out =
                  new OutputStream() {
                    private long written;

                    @Override
                    public void write(int b) throws IOException {
                      write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                      written += len;
                      if (written > failAfter) {
                        throw new IOException("disk full");
                      }
                    }
                  };
              Set<Thread> before = Thread.getAllStackTraces().keySet();
              RequestStream stream = new RequestStream(EVALUATOR, true, workers);

              try {
                bounded(() -> stream.run(choppy(input, r), out), seed, workers);
              } catch (UncheckedIOException e) {
                assertThat(e).hasMessageContaining("disk full");
              }
              assertPipelineThreadsEnd(before);
            });
  }

  // The request's line number, carried in its principal's name.
  private static long number(AccessRequest request) {
    String p = request.principal();
    return Long.parseLong(p.substring(p.lastIndexOf('/') + 2));
  }

  private static byte[] requests(int lines, SplittableRandom r) {
    List<String> actions = List.of("kms:Decrypt", "kms:Encrypt", "kms:PutKeyPolicy");
    StringBuilder sb = new StringBuilder(lines * 120);
    for (int i = 1; i <= lines; i++) {
      sb.append("{\"principal\": \"arn:aws:iam::111122223333:role/R")
          .append(i)
          .append("\", \"action\": \"")
          .append(actions.get(r.nextInt(actions.size())))
          .append("\", \"context\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Runs {@code run} on another thread and returns its result or throws its failure; fails the
   * example if it has not ended within {@value #BOUND_SECONDS} s (a hang).
   */
  private static <T> T bounded(Supplier<T> run, long seed, int workers) {
    Future<T> f = RUNNER.submit(run::get);
    try {
      return f.get(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError(
          "the pipeline hung: no end within "
              + BOUND_SECONDS
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
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new AssertionError(e.getCause());
    }
  }

  // The reader and workers of a failed run end soon after it (none blocked for ever).
  private static void assertPipelineThreadsEnd(Set<Thread> before) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    while (true) {
      List<Thread> left =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> !before.contains(t))
              .filter(t -> t.getName().startsWith("evaluate-"))
              .filter(Thread::isAlive)
              .toList();
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("pipeline threads still running: " + left);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  private static InputStream choppy(byte[] data, SplittableRandom random) {
    return new InputStream() {
      private int pos;

      @Override
      public int read() {
        return pos < data.length ? data[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= data.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, data.length - pos), 1 + random.nextInt(40_000));
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  /** Counts the lines written. */
  private static final class CountingOutput extends OutputStream {
    long newlines;

    @Override
    public void write(int b) {
      if (b == '\n') {
        newlines++;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          newlines++;
        }
      }
    }
  }
}
