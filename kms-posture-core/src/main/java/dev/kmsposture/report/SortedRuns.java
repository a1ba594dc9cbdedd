package dev.kmsposture.report;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    PriorityQueue<Cursor<T>> queue =
        new PriorityQueue<>(
            Math.max(1, sources.size()),
            (a, b) -> {
              int c = order.compare(Objects.requireNonNull(a.head), Objects.requireNonNull(b.head));
              return c != 0 ? c : Integer.compare(a.rank, b.rank);
            });
    try {
      for (int i = 0; i < sources.size(); i++) {
        Cursor<T> c = new Cursor<>(sources.get(i), i, reader);
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
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return !queue.isEmpty();
      }

      @Override
      public T next() {
        Cursor<T> c = queue.poll();
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

  /** One file being read: its next element, and its rank (earlier files win ties). */
  private static final class Cursor<T> implements Closeable {
    final DataInputStream in;
    final int rank;
    final Reader<T> reader;
    @Nullable T head;

    Cursor(Path file, int rank, Reader<T> reader) throws IOException {
      this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
      this.rank = rank;
      this.reader = reader;
      advance();
    }

    void advance() throws IOException {
      head = reader.read(in);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
