package dev.kmsposture.cli;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Iterates over a source on a thread of its own, a few batches ahead of the caller, so that
 * producing the elements (for {@code check}, reading the findings back from the spool and merging
 * them) overlaps consuming them (writing the report). The caller sees the source's elements in its
 * order, and what the source throws, when it reaches it.
 *
 * <p>Each {@link Iterable#iterator()} of an iterable made by {@link #of} starts one thread; {@link
 * #close()} stops those still running and waits for them, so that what they read can be closed
 * after it. The iterables and their iterators are used from one thread.
 */
final class ReadAhead implements Closeable {
  private static final int BATCH = 512;
  private static final int BATCHES_AHEAD = 4;

  /** One batch; {@code end} after the last element, {@code failure} what the source threw. */
  private record Batch(List<Object> elements, boolean end, @Nullable Throwable failure) {}

  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  /** Returns {@code source}, iterated ahead of the caller. */
  <T> Iterable<T> of(Iterable<T> source) {
    return () -> start(source);
  }

  private <T> Iterator<T> start(Iterable<T> source) {
    BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    Thread t = new Thread(() -> produce(source, queue), "kms-posture-read-ahead");
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return new Iterator<>() {
      private List<Object> batch = List.of();
      private int next;
      private boolean end;
      // what the source threw after the elements of the batch in hand
      private @Nullable Throwable failure;

      @Override
      public boolean hasNext() {
        while (next >= batch.size()) {
          Throwable f = failure;
          if (f != null) {
            failure = null;
            if (f instanceof RuntimeException r) {
              throw r;
            }
            throw (Error) f;
          }
          if (end) {
            return false;
          }
          Batch b = take(queue, t);
          batch = b.elements();
          next = 0;
          end = b.end();
          failure = b.failure();
        }
        return true;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        @SuppressWarnings("unchecked") // the source's elements, handed over as they came
        T element = (T) batch.get(next++);
        return element;
      }
    };
  }

  private <T> void produce(Iterable<T> source, BlockingQueue<Batch> queue) {
    List<Object> batch = new ArrayList<>(BATCH);
    try {
      for (T element : source) {
        batch.add(element);
        if (batch.size() == BATCH) {
          if (!put(queue, new Batch(batch, false, null))) {
            return;
          }
          batch = new ArrayList<>(BATCH);
        }
      }
      put(queue, new Batch(batch, true, null));
    } catch (RuntimeException | Error e) {
      put(queue, new Batch(batch, true, e));
    }
  }

  // Waits for room; false when closed meanwhile.
  private boolean put(BlockingQueue<Batch> queue, Batch b) {
    while (!closed) {
      try {
        if (queue.offer(b, 50, TimeUnit.MILLISECONDS)) {
          return true;
        }
      } catch (InterruptedException e) {
        // close() interrupts: the loop sees closed
      }
    }
    return false;
  }

  // Waits for the next batch; a thread that ended without handing its end over is a bug.
  private static Batch take(BlockingQueue<Batch> queue, Thread producer) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          Batch b = queue.poll(50, TimeUnit.MILLISECONDS);
          if (b != null) {
            return b;
          }
          if (!producer.isAlive() && queue.isEmpty()) {
            throw new IllegalStateException("bug in kms-posture: reading ahead ended early");
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops the threads still reading ahead and waits for them to end. */
  @Override
  public void close() {
    closed = true;
    boolean interrupted = false;
    for (Thread t : threads) {
      t.interrupt();
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    threads.clear();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
