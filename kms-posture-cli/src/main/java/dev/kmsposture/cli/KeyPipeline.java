package dev.kmsposture.cli;

import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Judges keys on a second thread while the snapshot is read on the caller's, so that reading and
 * binding the next keys overlaps judging the ones before them (on two cores, a large check spends
 * about a fifth of its time reading). Keys are judged one at a time, in the order they were handed
 * over, so findings arrive in the same order as when each key is judged as it is read.
 *
 * <p>Keys travel in small batches (at most {@value #BATCH_KEYS} keys, or about a megabyte of
 * policies and lists), at most two batches waiting: what is held beyond the key being judged stays
 * small. A failure while judging (a bug: rules report findings, not exceptions) stops the judging;
 * it is thrown to the reading thread at its next key, or by {@link #finish} or {@link #abort}, as
 * it would have been thrown had the key been judged as it was read.
 *
 * <p>{@link #accept}, {@link #finish} and {@link #abort} are called from one thread; what the
 * judging did is visible to it once {@code finish} or {@code abort} returned.
 */
final class KeyPipeline {
  private static final int BATCH_KEYS = 64;
  private static final long BATCH_CHARS = 1L << 20;

  /** Keys to judge; the last batch ends the judging thread. */
  private record Batch(List<KeySnapshot> keys, boolean last) {}

  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(2);
  private final Consumer<KeySnapshot> judge;
  private final Thread thread;
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
    this.judge = judge;
    this.thread = new Thread(this::run, "kms-posture-judge");
    thread.setDaemon(true);
    thread.start();
  }

  /** Hands a key over to be judged after those handed before it. */
  void accept(KeySnapshot key) {
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
    if (ended) {
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

  private void put(Batch b) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(b);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
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
