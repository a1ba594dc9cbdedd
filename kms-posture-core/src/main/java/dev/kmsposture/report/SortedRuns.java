package dev.kmsposture.report;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * The k-way merge of sorted runs that the report spools spill to temporary files: each file holds
 * its elements in order, and the merge yields them all in order, earlier files winning ties (so a
 * merge is stable). Shared by {@link FindingSpool} and {@link MarkdownSpool}, which differ only in
 * what an element is and how it is written.
 */
final class SortedRuns {
  private SortedRuns() {}

  /** Reads the next element of a run, or {@code null} at its end. */
  @FunctionalInterface
  interface Reader<T> {
    @Nullable T read(DataInputStream in) throws IOException;
  }

  /**
   * Merges {@code sources} in {@code order}. Each file opened is added to {@code open} until it is
   * read to its end, so that the caller's {@code close} can close what a stopped merge left open.
   */
  static <T> Iterator<T> merge(
      List<Path> sources, Comparator<? super T> order, Reader<T> reader, List<Closeable> open) {
    return merge(sources, null, order, reader, open);
  }

  /**
   * Merges the byte ranges {@code ranges} (one {@code {from, to}} per source, null for the whole
   * file) of {@code sources} in {@code order}; each range must begin and end between elements.
   */
  static <T> Iterator<T> merge(
      List<Path> sources,
      @Nullable List<long @Nullable []> ranges,
      Comparator<? super T> order,
      Reader<T> reader,
      List<Closeable> open) {
    return merge(sources, ranges, null, order, reader, open);
  }

  /**
   * Merges the byte ranges {@code ranges} of {@code sources} and, if not null, the run {@code last}
   * held in memory (already in {@code order}) after them: {@code last} loses ties to every file, as
   * it would had it been written to one more file.
   */
  static <T> Iterator<T> merge(
      List<Path> sources,
      @Nullable List<long @Nullable []> ranges,
      @Nullable Iterator<? extends T> last,
      Comparator<? super T> order,
      Reader<T> reader,
      List<Closeable> open) {
    PriorityQueue<Run<T>> queue =
        new PriorityQueue<>(
            Math.max(1, sources.size() + 1),
            (a, b) -> {
              int c = order.compare(Objects.requireNonNull(a.head), Objects.requireNonNull(b.head));
              return c != 0 ? c : Integer.compare(a.rank, b.rank);
            });
    try {
      for (int i = 0; i < sources.size(); i++) {
        Cursor<T> c =
            new Cursor<>(sources.get(i), ranges == null ? null : ranges.get(i), i, reader);
        open.add(c);
        if (c.head != null) {
          queue.add(c);
        } else {
          c.close();
          open.remove(c);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spooled findings: " + e.getMessage(), e);
    }
    if (last != null) {
      InMemory<T> m = new InMemory<>(last, sources.size());
      if (m.head != null) {
        queue.add(m);
      }
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return !queue.isEmpty();
      }

      @Override
      public T next() {
        Run<T> c = queue.poll();
        if (c == null) {
          throw new NoSuchElementException();
        }
        T element = Objects.requireNonNull(c.head);
        try {
          c.advance();
          if (c.head != null) {
            queue.add(c);
          } else {
            c.close();
            open.remove(c);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read spooled findings: " + e.getMessage(), e);
        }
        return element;
      }
    };
  }

  /** One sorted run being merged: its next element, and its rank (lower ranks win ties). */
  private abstract static class Run<T> implements Closeable {
    final int rank;
    @Nullable T head;

    Run(int rank) {
      this.rank = rank;
    }

    abstract void advance() throws IOException;
  }

  /** A run held in memory, read through its iterator. */
  private static final class InMemory<T> extends Run<T> {
    private final Iterator<? extends T> elements;

    InMemory(Iterator<? extends T> elements, int rank) {
      super(rank);
      this.elements = elements;
      advance();
    }

    @Override
    void advance() {
      head = elements.hasNext() ? elements.next() : null;
    }

    @Override
    public void close() {}
  }

  /** One file being read (earlier files win ties). */
  private static final class Cursor<T> extends Run<T> {
    final DataInputStream in;
    final Reader<T> reader;

    Cursor(Path file, long @Nullable [] range, int rank, Reader<T> reader) throws IOException {
      super(rank);
      InputStream raw;
      if (range == null) {
        raw = Files.newInputStream(file);
      } else {
        SeekableByteChannel channel = Files.newByteChannel(file);
        try {
          channel.position(range[0]);
        } catch (IOException e) {
          channel.close();
          throw e;
        }
        raw = new Range(Channels.newInputStream(channel), range[1] - range[0]);
      }
      this.in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
      this.reader = reader;
      advance();
    }

    @Override
    void advance() throws IOException {
      head = reader.read(in);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** The next {@code left} bytes of a stream, then its end. */
  private static final class Range extends FilterInputStream {
    private long left;

    Range(InputStream in, long length) {
      super(in);
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
