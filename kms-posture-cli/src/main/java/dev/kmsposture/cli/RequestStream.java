package dev.kmsposture.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.access.StatementRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline of {@code evaluate}: request lines in, one decision line out per request, in input
 * order.
 *
 * <ul>
 *   <li>A reader thread splits the input into lines as bytes, and hands over what each read
 *       returned as one batch: a full buffer of lines when input streams in, a single line when a
 *       person or a co-process types one.
 *   <li>Worker threads (one per processor) each take a batch, parse its lines with Jackson's
 *       streaming parser, evaluate them and write their decision lines as JSON text.
 *   <li>The calling thread writes the batches' text in input order and flushes whenever the next
 *       batch is not ready yet, so a decision appears as soon as it is made when input pauses,
 *       while a fast stream is written in large blocks.
 * </ul>
 *
 * <p>Memory is bounded: at most {@value #MAX_LINE_BYTES} bytes of one line and {@value
 * #MAX_BATCHES_AHEAD} batches in flight. A longer line is not read into memory: it becomes one
 * error line, and the stream goes on.
 */
final class RequestStream {
  /** The longest request line read, in bytes; a longer line is an error line and is skipped. */
  static final int MAX_LINE_BYTES = 1024 * 1024;

  static final int CHUNK_BYTES = 64 * 1024;
  static final int MAX_BATCHES_AHEAD = 64;

  private static final JsonFactory JSON = new JsonFactory();

  private final KeyAccessEvaluator evaluator;
  private final boolean keyKnown;
  private final int workers;
  // The output bytes per line of the last batch, to size the next batch's buffer.
  private volatile int bytesPerLine = 512;

  /** How many requests were allowed, denied, and how many lines were bad. */
  record Counts(long allowed, long denied, long bad) {}

  /**
   * Creates the pipeline.
   *
   * @param evaluator decides the requests
   * @param keyKnown whether the evaluator knows the key (--key-arn or --account): without it, a
   *     request must name its key in {@code resource}
   * @param workers the number of threads that parse, evaluate and format
   */
  RequestStream(KeyAccessEvaluator evaluator, boolean keyKnown, int workers) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.keyKnown = keyKnown;
    if (workers < 1) {
      throw new IllegalArgumentException("workers [" + workers + "] must be at least 1");
    }
    this.workers = workers;
  }

  /**
   * Reads every line of {@code in} and writes one line per request to {@code out}.
   *
   * @param in the request lines; read to its end, not closed
   * @param out where the decision lines go; flushed when input pauses and at the end
   * @return what was decided
   * @throws BadInputException if {@code in} cannot be read
   * @throws UncheckedIOException if {@code out} fails
   */
  Counts run(InputStream in, Writer out) {
    return run(
        in,
        new Output() {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(new String(b, off, len, StandardCharsets.UTF_8));
          }

          @Override
          public void flush() throws IOException {
            out.flush();
            if (out instanceof PrintWriter pw && pw.checkError()) {
              throw new IOException("standard output failed (closed pipe or full disk)");
            }
          }
        });
  }

  /**
   * Reads every line of {@code in} and writes one line per request to {@code out} as UTF-8 bytes:
   * the workers' bytes go out as they are, with no encoding on the writing thread.
   *
   * @param in the request lines; read to its end, not closed
   * @param out where the decision lines go; flushed when input pauses and at the end
   * @return what was decided
   * @throws BadInputException if {@code in} cannot be read
   * @throws UncheckedIOException if {@code out} fails
   */
  Counts run(InputStream in, OutputStream out) {
    return run(
        in,
        new Output() {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void flush() throws IOException {
            out.flush();
            if (out instanceof PrintStream ps && ps.checkError()) {
              throw new IOException("standard output failed (closed pipe or full disk)");
            }
          }
        });
  }

  /** Where decision lines go: UTF-8 bytes. */
  private interface Output {
    void write(byte[] b, int off, int len) throws IOException;

    void flush() throws IOException;
  }

  private Counts run(InputStream in, Output out) {
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "evaluate-worker-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    BlockingQueue<Future<Batch>> pending = new ArrayBlockingQueue<>(MAX_BATCHES_AHEAD);
    Reader reader = new Reader(in, pool, pending);
    Thread readerThread = new Thread(reader, "evaluate-reader");
    readerThread.setDaemon(true);
    readerThread.start();
    long allowed = 0;
    long denied = 0;
    long bad = 0;
    try {
      while (true) {
        Future<Batch> next = pending.take();
        Batch batch = get(next);
        if (batch == END) {
          break;
        }
        out.write(batch.text, 0, batch.textLength);
        allowed += batch.allowed;
        denied += batch.denied;
        bad += batch.bad;
        Future<Batch> following = pending.peek();
        if (following == null || !following.isDone()) {
          // Input paused (or the next batch is still being evaluated): show what is decided.
          out.flush();
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the decisions: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while evaluating requests", e);
    } finally {
      reader.stop();
      readerThread.interrupt();
      pool.shutdownNow();
    }
    return new Counts(allowed, denied, bad);
  }

  private static Batch get(Future<Batch> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("bug in kms-posture: a request batch failed", cause);
    }
  }

  /**
   * Lines read together: their bytes in {@code data}, and per line its start, its length (or -1 for
   * a line too long to read) and its number. After evaluation, the output text and counts.
   */
  private static final class Batch {
    final byte[] data;
    int[] starts;
    int[] lengths;
    long[] numbers;
    int size;
    int dataEnd; // the end of the last readable line: the parser never reads past it

    byte[] text = new byte[0];
    int textLength;
    long allowed;
    long denied;
    long bad;

    Batch(byte[] data) {
      this.data = data;
      // Requests are a few hundred bytes: room for most batches without growing.
      int lines = Math.max(16, data.length / 128);
      starts = new int[lines];
      lengths = new int[lines];
      numbers = new long[lines];
    }

    void add(int start, int length, long number) {
      if (size == starts.length) {
        starts = Arrays.copyOf(starts, size * 2);
        lengths = Arrays.copyOf(lengths, size * 2);
        numbers = Arrays.copyOf(numbers, size * 2);
      }
      starts[size] = start;
      lengths[size] = length;
      numbers[size] = number;
      size++;
      if (length >= 0) {
        dataEnd = start + length;
      }
    }
  }

  private static final Batch END = new Batch(new byte[0]);

  /** Splits the input into batches of lines and queues their evaluation, in order. */
  private final class Reader implements Runnable {
    private final InputStream in;
    private final ExecutorService pool;
    private final BlockingQueue<Future<Batch>> pending;
    private volatile boolean stopped;

    Reader(InputStream in, ExecutorService pool, BlockingQueue<Future<Batch>> pending) {
      this.in = in;
      this.pool = pool;
      this.pending = pending;
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void run() {
      try {
        read();
        pending.put(CompletableFuture.completedFuture(END));
      } catch (InterruptedException e) {
        // The writer stopped (an output failure): nothing waits for more.
      } catch (RuntimeException | Error e) {
        fail(e);
      } catch (IOException e) {
        fail(new BadInputException("the requests are not readable: " + e.getMessage(), e));
      }
    }

    private void fail(Throwable e) {
      try {
        pending.put(CompletableFuture.failedFuture(e));
      } catch (InterruptedException ignored) {
        // The writer stopped: nothing waits for the failure either.
      }
    }

    private void read() throws IOException, InterruptedException {
      byte[] buf = new byte[CHUNK_BYTES];
      int end = 0; // buf[0, end) holds bytes read; a partial line, if any, is at the start
      long number = 0; // the number of the last line started
      boolean skipping = false; // inside an over-long line, dropping bytes up to its end
      while (!stopped) {
        int n = in.read(buf, end, buf.length - end);
        boolean eof = n < 0;
        if (!eof) {
          end += n;
        }
        Batch batch = new Batch(buf);
        int start = 0;
        for (int i = 0; i < end; i++) {
          if (buf[i] != '\n') {
            continue;
          }
          if (skipping) {
            skipping = false;
          } else {
            number++;
            addLine(batch, buf, start, i, number);
          }
          start = i + 1;
        }
        if (eof) {
          if (!skipping && start < end) {
            number++;
            addLine(batch, buf, start, end, number);
          }
          submit(batch);
          return;
        }
        int rest = end - start;
        if (skipping) {
          rest = 0; // still inside the over-long line: drop what was read of it
        } else if (rest > MAX_LINE_BYTES) {
          number++;
          batch.add(0, -1, number);
          skipping = true;
          rest = 0;
        }
        if (batch.size == 0) {
          // Nothing to hand over: keep reading into the same buffer, growing it for a long line.
          if (start > 0) {
            System.arraycopy(buf, start, buf, 0, rest);
          }
          if (rest == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
          }
          end = rest;
          continue;
        }
        submit(batch);
        // The batch owns buf now; the next buffer starts with the partial line.
        byte[] next = new byte[Math.max(CHUNK_BYTES, rest * 2)];
        System.arraycopy(buf, start, next, 0, rest);
        buf = next;
        end = rest;
      }
    }

    private void addLine(Batch batch, byte[] buf, int from, int to, long number) {
      int length = to - from;
      if (length > 0 && buf[to - 1] == '\r') {
        length--;
      }
      if (length > MAX_LINE_BYTES) {
        batch.add(from, -1, number);
      } else if (!isBlank(buf, from, length)) {
        batch.add(from, length, number);
      }
    }

    private void submit(Batch batch) throws InterruptedException {
      if (batch.size > 0) {
        pending.put(pool.submit(() -> evaluate(batch)));
      }
    }
  }

  private static boolean isBlank(byte[] buf, int from, int len) {
    for (int i = from; i < from + len; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Parses, evaluates and formats every line of {@code batch}; runs on a worker. */
  private Batch evaluate(Batch batch) throws IOException {
    ByteSink sink = new ByteSink(batch.size * (bytesPerLine + 64));
    int dataEnd = batch.dataEnd;
    try (JsonGenerator gen = JSON.createGenerator(sink);
        RequestParser.Lines lines = new RequestParser.Lines(batch.data, dataEnd)) {
      gen.setRootValueSeparator(null);
      for (int i = 0; i < batch.size; i++) {
        long number = batch.numbers[i];
        int length = batch.lengths[i];
        if (length < 0) {
          batch.bad++;
          error(
              gen, number, "longer than " + MAX_LINE_BYTES + " bytes; the line was skipped unread");
          continue;
        }
        Decision decision;
        try {
          AccessRequest request = lines.parse(batch.starts[i], length);
          if (!keyKnown && request.resource().isEmpty()) {
            throw new RequestParser.BadLineException(
                "the request names no key: add \"resource\": KEY_ARN to the request, or set"
                    + " --key-arn (or --account) for every request");
          }
          try {
            decision = evaluator.evaluate(request);
          } catch (IllegalArgumentException e) {
            // A request the model accepts but the key cannot be judged on (e.g. its resource).
            throw new RequestParser.BadLineException(
                RequestParser.clipEchoes(String.valueOf(e.getMessage())));
          }
        } catch (RequestParser.BadLineException e) {
          batch.bad++;
          error(gen, number, String.valueOf(e.getMessage()));
          continue;
        }
        if (decision.isAllowed()) {
          batch.allowed++;
        } else {
          batch.denied++;
        }
        write(gen, number, decision);
      }
    }
    batch.text = sink.bytes;
    batch.textLength = sink.length;
    bytesPerLine = sink.length / batch.size;
    return batch;
  }

  private static void error(JsonGenerator gen, long number, String message) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("line", number);
    gen.writeStringField("error", "line " + number + ": " + message);
    gen.writeEndObject();
    gen.writeRaw('\n');
  }

  private static void write(JsonGenerator gen, long number, Decision d) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("line", number);
    gen.writeStringField("decision", d.outcome().name());
    gen.writeBooleanField("delegatedToIam", d.delegatedToIam());
    gen.writeArrayFieldStart("statements");
    for (StatementRef s : d.statements()) {
      gen.writeStartObject();
      gen.writeStringField("source", s.source());
      gen.writeNumberField("index", s.index());
      gen.writeStringField("sid", s.sid());
      gen.writeStringField("pointer", s.pointer());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeStringField("explanation", d.explanation());
    gen.writeEndObject();
    gen.writeRaw('\n');
  }

  /** A growable byte buffer that hands out its array (no copy, unlike ByteArrayOutputStream). */
  private static final class ByteSink extends OutputStream {
    byte[] bytes;
    int length;

    ByteSink(int capacity) {
      bytes = new byte[Math.max(capacity, 256)];
    }

    @Override
    public void write(int b) {
      if (length == bytes.length) {
        bytes = Arrays.copyOf(bytes, bytes.length * 2);
      }
      bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (length + len > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + len));
      }
      System.arraycopy(b, off, bytes, length, len);
      length += len;
    }
  }
}
