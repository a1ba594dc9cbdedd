package dev.kmsposture.cli;

import com.fasterxml.jackson.core.SerializableString;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
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

  // Buffers at most this large go back for reuse once written; larger ones (a long line) are
  // dropped.
  private static final int MAX_SPARE_BYTES = 4 * CHUNK_BYTES;
  private static final int MAX_SPARE_TEXT_BYTES = 1024 * 1024;

  private final Decider evaluator;
  private final boolean keyKnown;
  private final int workers;
  // The output bytes per line of the last batch, to size the next batch's buffer.
  private volatile int bytesPerLine = 512;
  // Reused from batch to batch: the workers' writers and parsers' strings, written batches (their
  // input buffers) and output buffers. Each holds at most as many as were ever in flight.
  private final Queue<Worker> idleWorkers = new ConcurrentLinkedQueue<>();
  private final Queue<Batch> spareBatches = new ConcurrentLinkedQueue<>();
  private final Queue<byte[]> spareText = new ConcurrentLinkedQueue<>();
  private final Map<List<StatementRef>, SerializableString> statementsJson =
      DecisionWriter.newStatementCache();

  /** How many requests were allowed, denied, and how many lines were bad. */
  record Counts(long allowed, long denied, long bad) {}

  /** Decides one request: {@link KeyAccessEvaluator#evaluate}, or a stand-in in tests. */
  @FunctionalInterface
  interface Decider {
    /**
     * Decides {@code request}.
     *
     * @throws IllegalArgumentException if the request cannot be judged (an error line)
     */
    Decision decide(AccessRequest request);
  }

  /**
   * Creates the pipeline.
   *
   * @param evaluator decides the requests
   * @param keyKnown whether the evaluator knows the key (--key-arn or --account): without it, a
   *     request must name its key in {@code resource}
   * @param workers the number of threads that parse, evaluate and format
   */
  RequestStream(KeyAccessEvaluator evaluator, boolean keyKnown, int workers) {
    this(Objects.requireNonNull(evaluator, "evaluator")::evaluate, keyKnown, workers);
  }

  /**
   * Creates the pipeline over any {@link Decider}: any other exception it throws stops the stream
   * and comes out of {@link #run}.
   *
   * @param evaluator decides the requests
   * @param keyKnown whether the evaluator knows the key: without it, a request must name its key
   * @param workers the number of threads that parse, evaluate and format
   */
  RequestStream(Decider evaluator, boolean keyKnown, int workers) {
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
        recycle(batch);
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

  // Hands a written batch's buffers back for the reader and the workers to reuse.
  private void recycle(Batch batch) {
    if (batch.text.length <= MAX_SPARE_TEXT_BYTES) {
      spareText.offer(batch.text);
    }
    batch.text = NO_TEXT;
    if (batch.data.length <= MAX_SPARE_BYTES) {
      batch.clear();
      spareBatches.offer(batch);
    }
  }

  // A batch with room for at least minBytes of input: a written one when one is big enough.
  private Batch obtainBatch(int minBytes) {
    Batch spare = spareBatches.poll();
    if (spare != null && spare.data.length >= minBytes) {
      return spare;
    }
    return new Batch(new byte[minBytes]);
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
    byte[] data;
    int[] starts;
    int[] lengths;
    long[] numbers;
    int size;
    int dataEnd; // the end of the last readable line: the parser never reads past it

    byte[] text = NO_TEXT;
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

    /** Empties the batch for new lines in its data buffer. */
    void clear() {
      size = 0;
      dataEnd = 0;
      textLength = 0;
      allowed = 0;
      denied = 0;
      bad = 0;
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

  private static final byte[] NO_TEXT = new byte[0];
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
      Batch batch = obtainBatch(CHUNK_BYTES);
      byte[] buf = batch.data;
      int end = 0; // buf[0, end) holds bytes read; a partial line, if any, is at the start
      long number = 0; // the number of the last line started
      boolean skipping = false; // inside an over-long line, dropping bytes up to its end
      while (!stopped) {
        int n = in.read(buf, end, buf.length - end);
        boolean eof = n < 0;
        if (!eof) {
          end += n;
        }
        batch.clear();
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
            batch.data = buf;
          }
          end = rest;
          continue;
        }
        // The next buffer starts with the partial line, copied before the batch is handed over:
        // from then on a worker and the writer own buf, and the reader never touches it again.
        Batch next = obtainBatch(Math.max(CHUNK_BYTES, rest * 2));
        System.arraycopy(buf, start, next.data, 0, rest);
        submit(batch);
        batch = next;
        buf = next.data;
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

  /** What a worker keeps from batch to batch. */
  private static final class Worker {
    final DecisionWriter writer;
    final RequestParser.Strings strings = new RequestParser.Strings();

    Worker(Map<List<StatementRef>, SerializableString> statementsJson) {
      writer = new DecisionWriter(statementsJson);
    }
  }

  /**
   * Parses, evaluates and formats every line of {@code batch}; runs on a worker.
   *
   * <p>Who owns what: the batch (its input bytes) and the text buffer belong to this worker until
   * it returns the batch, then to the writing thread, which alone hands both back for reuse once it
   * has written the text ({@link #recycle}). The {@link Worker} (parser strings, generator) goes
   * back to {@link #idleWorkers} only after {@link DecisionWriter#finish()} has detached the text
   * buffer from it, so a worker that takes it next cannot write into this batch's text.
   */
  private Batch evaluate(Batch batch) throws IOException {
    Worker w = idleWorkers.poll();
    if (w == null) {
      w = new Worker(statementsJson);
    }
    byte[] text = spareText.poll();
    if (text == null) {
      text = new byte[Math.max(256, batch.size * (bytesPerLine + 64))];
    }
    DecisionWriter out = w.writer;
    out.start(text);
    int dataEnd = batch.dataEnd;
    try (RequestParser.Lines lines = new RequestParser.Lines(batch.data, dataEnd, w.strings)) {
      for (int i = 0; i < batch.size; i++) {
        evaluateLine(batch, i, lines, out);
      }
    }
    DecisionWriter.Text written = out.finish();
    batch.text = written.bytes();
    batch.textLength = written.length();
    bytesPerLine = written.length() / batch.size;
    // Only now, with nothing of this batch left in it, may another batch use the worker. A worker
    // that failed half-way is dropped with its generator.
    idleWorkers.offer(w);
    return batch;
  }

  private void evaluateLine(Batch batch, int i, RequestParser.Lines lines, DecisionWriter out)
      throws IOException {
    long number = batch.numbers[i];
    int length = batch.lengths[i];
    if (length < 0) {
      batch.bad++;
      out.error(number, "longer than " + MAX_LINE_BYTES + " bytes; the line was skipped unread");
      return;
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
        decision = evaluator.decide(request);
      } catch (IllegalArgumentException e) {
        // A request the model accepts but the key cannot be judged on (e.g. its resource).
        throw new RequestParser.BadLineException(
            RequestParser.clipEchoes(String.valueOf(e.getMessage())));
      }
    } catch (RequestParser.BadLineException e) {
      batch.bad++;
      out.error(number, String.valueOf(e.getMessage()));
      return;
    }
    if (decision.isAllowed()) {
      batch.allowed++;
    } else {
      batch.denied++;
    }
    out.decision(number, decision);
  }
}
