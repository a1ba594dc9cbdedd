package dev.kmsposture.cli;

import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Judges keys on a second thread while the snapshot is read on the caller's, so that reading and
 * binding the next keys overlaps judging the ones before them (on two cores, a large check spends
 * about a fifth of its time reading). Keys are judged one at a time, in the order they were handed
 * over, so findings arrive in the same order as when each key is judged as it is read.
 *
 * <p>Keys travel in small batches (at most {@value #BATCH_KEYS} keys, or about 256 K characters of
 * policies and lists), at most one batch waiting: what is held beyond the key being judged stays
 * small. In a heap smaller than {@link #SMALLEST_HEAP}, keys are judged on the reading thread. A
 * failure while judging (a bug: rules report findings, not exceptions) stops the judging; it is
 * thrown to the reading thread at its next key, or by {@link #finish} or {@link #abort}, as it
 * would have been thrown had the key been judged as it was read.
 *
 * <p>{@link #accept}, {@link #finish} and {@link #abort} are called from one thread; what the
 * judging did is visible to it once {@code finish} or {@code abort} returned.
 */
final class KeyPipeline {
  private static final int BATCH_KEYS = 16;
  private static final long BATCH_CHARS = 1L << 18;
  // Below this heap, keys are judged on the reading thread, one at a time, as they are read: a
  // check must fit a heap of a few tens of megabytes, and two threads allocating at once need more.
  static final long SMALLEST_HEAP = 256L * 1024 * 1024;

  /** Keys to judge; the last batch ends the judging thread. */
  private record Batch(List<KeySnapshot> keys, boolean last) {}

  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(1);
  private final Consumer<KeySnapshot> judge;
  private final @Nullable Thread thread;
  private volatile @Nullable Throwable failure;
  private volatile boolean stopped;
  private List<KeySnapshot> batch = new ArrayList<>();
  private long batchChars;
  private boolean ended;

  /**
   * Starts the judging thread.
   *
   * @param judge judges one key (on the judging thread)
   */
  KeyPipeline(Consumer<KeySnapshot> judge) {
    this(judge, Runtime.getRuntime().maxMemory() >= SMALLEST_HEAP);
  }

  /**
   * @param judge judges one key
   * @param parallel whether on a thread of its own (otherwise on the caller's, as each key is
   *     handed over)
   */
  KeyPipeline(Consumer<KeySnapshot> judge, boolean parallel) {
    this.judge = judge;
    if (parallel) {
      Thread t = new Thread(this::run, "kms-posture-judge");
      t.setDaemon(true);
      t.start();
      this.thread = t;
    } else {
      this.thread = null;
    }
  }

  /** Hands a key over to be judged after those handed before it. */
  void accept(KeySnapshot key) {
    if (thread == null) {
      judge.accept(key);
      return;
    }
    rethrowFailure();
    batch.add(key);
    batchChars += size(key);
    if (batch.size() >= BATCH_KEYS || batchChars >= BATCH_CHARS) {
      put(new Batch(batch, false));
      batch = new ArrayList<>();
      batchChars = 0;
    }
  }

  /** Judges what is left, waits for the judging to end, and throws its failure, if any. */
  void finish() {
    end();
    rethrowFailure();
  }

  /**
   * Stops judging (reading failed), waits for the judging thread to end, and throws the judging's
   * failure if a key handed over earlier failed: that failure came first.
   */
  void abort() {
    stopped = true;
    end();
    rethrowFailure();
  }

  private void end() {
    Thread thread = this.thread;
    if (ended || thread == null) {
      return;
    }
    ended = true;
    put(new Batch(batch, true));
    batch = new ArrayList<>();
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // Waits for room; if the judging thread has ended (it ends only after the last batch, or when
  // something escaped it), its failure is thrown instead.
  private void put(Batch b) {
    Thread thread = Objects.requireNonNull(this.thread);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (queue.offer(b, 50, TimeUnit.MILLISECONDS)) {
            return;
          }
          if (!thread.isAlive()) {
            rethrowFailure();
            throw new IllegalStateException("bug in kms-posture: the judging thread ended early");
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

  private void run() {
    try {
      drain();
    } catch (RuntimeException | Error e) {
      // what escaped judging (an OutOfMemoryError while taking a batch): the reader sees it
      if (failure == null) {
        failure = e;
      }
    }
  }

  private void drain() {
    while (true) {
      Batch b;
      try {
        b = queue.take();
      } catch (InterruptedException e) {
        // nobody interrupts this thread; if someone does, keep draining what is handed over
        continue;
      }
      // after a failure, or once reading failed, batches are only drained, so put never blocks
      for (KeySnapshot key : b.keys()) {
        if (failure != null || stopped) {
          break;
        }
        try {
          judge.accept(key);
        } catch (RuntimeException | Error e) {
          failure = e;
        }
      }
      if (b.last()) {
        return;
      }
    }
  }

  private void rethrowFailure() {
    Throwable t = failure;
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }

  // About how much memory a key holds, in characters: its policy and its lists.
  private static long size(KeySnapshot key) {
    String policy = key.policy();
    long n = 1_000L + (policy == null ? 0 : policy.length());
    n += 500L * count(key.grants()) + 300L * count(key.callers());
    n += 200L * (count(key.keyEvents()) + count(key.rotations()) + count(key.resources()));
    return n;
  }

  private static int count(@Nullable List<?> list) {
    return list == null ? 0 : list.size();
  }
}
