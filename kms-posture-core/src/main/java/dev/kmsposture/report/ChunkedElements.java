package dev.kmsposture.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Prints the elements of a long array (a report's findings or results) on worker threads, a chunk
 * of elements at a time, and writes the chunks to the byte stream in their order: the bytes are
 * those the document's own generator would print, encoded as UTF-8.
 *
 * <p>How a chunk is made to fit: a worker prints its elements with a UTF-8 generator of the same
 * layout nested as deep as the array (so the indentation is the same), and drops the line break and
 * indentation before the first element; the document's generator then writes that separator itself
 * with an empty raw value (which also counts the chunk as an element, so the array closes as a
 * non-empty one), flushes, and the chunk's bytes follow. A lone surrogate, which the UTF-8
 * generator escapes where an encoder of the text would refuse or replace it, sends the chunk
 * through the text generator and that encoder instead (a literal {@code \\uD} in the text does too:
 * it only costs time). The bytes are searched for it only when the generator printed a string that
 * held a surrogate ({@link JsonText.Utf8Generator#printedSurrogate()}).
 *
 * <p>At most {@code 2 × workers} chunks are in flight, so memory stays flat. What the values, the
 * element printer or the stream throw is thrown on the calling thread, in element order: a failure
 * met while reading ahead waits until the chunks before it are written. Used from one thread.
 */
final class ChunkedElements implements JsonText.Elements, Closeable {
  /** Elements per chunk: a few hundred kilobytes of a SARIF or JSON report. */
  static final int CHUNK = 256;

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final OutputStream out;
  private final CodingErrorAction malformed;
  private final int workers;
  private final int chunk;
  private final int maxPending;
  private @Nullable ExecutorService executor;
  // The workers, so that close() returns only once they have ended (a pool that has terminated may
  // still have a worker thread on its way out).
  private final List<Thread> threads = new ArrayList<>();
  // Buffers of chunks already written, for the next chunks: the report's bytes are not allocated
  // again and again.
  private final Queue<byte[]> spare = new ConcurrentLinkedQueue<>();

  ChunkedElements(OutputStream out, CodingErrorAction malformed, int workers, int chunk) {
    if (workers < 1 || chunk < 1) {
      throw new IllegalArgumentException(
          "workers [" + workers + "] and chunk [" + chunk + "] must be at least 1");
    }
    this.out = out;
    this.malformed = malformed;
    this.workers = workers;
    this.chunk = chunk;
    this.maxPending = 2 * workers;
  }

  /** Two workers, or one per processor up to four. */
  static int defaultWorkers() {
    return Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  @Override
  public <T> void write(
      JsonGenerator g,
      Iterable<T> values,
      Predicate<? super T> include,
      JsonText.Element<T> element)
      throws IOException {
    int depth = g.getOutputContext().getNestingDepth();
    Deque<Future<Chunk>> pending = new ArrayDeque<>();
    try {
      List<T> next = new ArrayList<>(chunk);
      Iterator<T> it = values.iterator();
      while (true) {
        T v;
        try {
          if (!it.hasNext()) {
            break;
          }
          v = it.next();
          if (!include.test(v)) {
            continue;
          }
        } catch (RuntimeException | Error e) {
          // The elements before the failure are written first, as one after the other would.
          drain(g, pending);
          for (T w : next) {
            element.writeTo(g, w);
          }
          throw e;
        }
        next.add(v);
        if (next.size() == chunk) {
          pending.add(submit(next, depth, element));
          next = new ArrayList<>(chunk);
          if (pending.size() >= maxPending) {
            writeFirst(g, pending);
          }
        }
      }
      if (pending.isEmpty()) {
        // Fewer than a chunk left and nothing in flight: not worth a thread.
        for (T v : next) {
          element.writeTo(g, v);
        }
      } else if (!next.isEmpty()) {
        pending.add(submit(next, depth, element));
      }
      drain(g, pending);
    } finally {
      for (Future<Chunk> f : pending) {
        f.cancel(true);
      }
    }
  }

  private void drain(JsonGenerator g, Deque<Future<Chunk>> pending) throws IOException {
    while (!pending.isEmpty()) {
      writeFirst(g, pending);
    }
  }

  private void writeFirst(JsonGenerator g, Deque<Future<Chunk>> pending) throws IOException {
    Chunk c = await(pending.removeFirst());
    // the separator before the chunk's first element, from the document's own printer
    g.writeRawValue("");
    g.flush();
    out.write(c.bytes, c.offset, c.length);
    if (c.pooled && spare.size() < maxPending + workers) {
      spare.add(c.bytes);
    }
  }

  private <T> Future<Chunk> submit(List<T> values, int depth, JsonText.Element<T> element) {
    ExecutorService e = executor;
    if (e == null) {
      e =
          Executors.newFixedThreadPool(
              workers,
              r -> {
                Thread t = new Thread(r, "kms-posture-report-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                synchronized (threads) {
                  threads.add(t);
                }
                return t;
              });
      executor = e;
    }
    CodingErrorAction action = malformed;
    return e.submit(
        () -> {
          byte[] b = spare.poll();
          return render(values, depth, element, action, b == null ? new byte[1 << 19] : b);
        });
  }

  private static Chunk await(Future<Chunk> f) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("bug in kms-posture: printing a chunk failed", cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Prints {@code values} as elements of an array nested {@code depth} deep. */
  static <T> Chunk render(
      List<T> values,
      int depth,
      JsonText.Element<T> element,
      CodingErrorAction malformed,
      byte[] buffer)
      throws IOException {
    Buffer buf = new Buffer(buffer);
    int start;
    int end;
    boolean surrogate;
    try (JsonGenerator g = JsonText.bytesGenerator(buf)) {
      open(g, depth);
      start = buf.count;
      for (T v : values) {
        element.writeTo(g, v);
      }
      g.flush();
      end = buf.count;
      // Only a string that held a surrogate can have been escaped where the text differs.
      surrogate = !(g instanceof JsonText.Utf8Generator u) || u.printedSurrogate();
    }
    int from = start + separator(depth, buf.bytes, start, end);
    if (!surrogate || !escapesSurrogate(buf.bytes, from, end)) {
      return new Chunk(buf.bytes, from, end - from, true);
    }
    StringWriter text = new StringWriter(end - start);
    try (JsonGenerator g = JsonText.generator(text)) {
      open(g, depth);
      start = text.getBuffer().length();
      for (T v : values) {
        element.writeTo(g, v);
      }
      g.flush();
      end = text.getBuffer().length();
    }
    CharSequence chars = text.getBuffer();
    from = start + separator(depth, chars, start, end);
    ByteBuffer bytes = JsonText.encoder(malformed).encode(CharBuffer.wrap(chars, from, end));
    return new Chunk(
        bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining(), false);
  }

  // Opens depth arrays, so that the printer indents as deep as the document's array.
  private static void open(JsonGenerator g, int depth) throws IOException {
    for (int i = 0; i < depth; i++) {
      g.writeStartArray();
    }
    g.flush();
  }

  // The length of the line break and indentation before the first element.
  private static int separator(int depth, byte[] bytes, int start, int end) {
    int n = 1 + 2 * depth;
    boolean ok = end - start >= n && bytes[start] == '\n';
    for (int i = 1; ok && i < n; i++) {
      ok = bytes[start + i] == ' ';
    }
    if (!ok) {
      throw new IllegalStateException(
          "bug in kms-posture: a chunk of report elements does not start with its indentation");
    }
    return n;
  }

  private static int separator(int depth, CharSequence chars, int start, int end) {
    int n = 1 + 2 * depth;
    boolean ok = end - start >= n && chars.charAt(start) == '\n';
    for (int i = 1; ok && i < n; i++) {
      ok = chars.charAt(start + i) == ' ';
    }
    if (!ok) {
      throw new IllegalStateException(
          "bug in kms-posture: a chunk of report elements does not start with its indentation");
    }
    return n;
  }

  // Whether the UTF-8 generator escaped a surrogate (or the text holds a literal \\uD).
  // Scans the bytes themselves for the three bytes \, u, D (UTF-8 never has them inside a
  // longer character's bytes, which are all 0x80 and above).
  static boolean escapesSurrogate(byte[] bytes, int from, int to) {
    for (int i = from; i < to - 2; i++) {
      if (bytes[i] == '\\' && bytes[i + 1] == 'u' && bytes[i + 2] == 'D') {
        return true;
      }
    }
    return false;
  }

  /** Stops the workers; a chunk still being printed is dropped. */
  @Override
  public void close() {
    ExecutorService e = executor;
    if (e == null) {
      return;
    }
    executor = null;
    e.shutdownNow();
    boolean interrupted = false;
    while (true) {
      try {
        if (e.awaitTermination(1, TimeUnit.SECONDS)) {
          break;
        }
      } catch (InterruptedException ie) {
        interrupted = true;
      }
    }
    List<Thread> workers;
    synchronized (threads) {
      workers = new ArrayList<>(threads);
      threads.clear();
    }
    for (Thread t : workers) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException ie) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A printed chunk: {@code length} bytes of {@code bytes} from {@code offset}. */
  static final class Chunk {
    final byte[] bytes;
    final int offset;
    final int length;
    // whether the bytes are a buffer worth keeping for another chunk
    final boolean pooled;

    Chunk(byte[] bytes, int offset, int length, boolean pooled) {
      this.bytes = bytes;
      this.offset = offset;
      this.length = length;
      this.pooled = pooled;
    }
  }

  /** A growing byte array (a ByteArrayOutputStream without locks or copies on the way out). */
  private static final class Buffer extends OutputStream {
    byte[] bytes;
    int count;

    Buffer(byte[] bytes) {
      this.bytes = bytes;
    }

    private void room(int n) {
      if (count + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(count + n, 2 * bytes.length));
      }
    }

    @Override
    public void write(int b) {
      room(1);
      bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      room(len);
      System.arraycopy(b, off, bytes, count, len);
      count += len;
    }
  }
}
