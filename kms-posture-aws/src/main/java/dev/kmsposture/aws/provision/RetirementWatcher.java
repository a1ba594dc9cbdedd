package dev.kmsposture.aws.provision;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A background watch of one retiring key, started by {@link KeyRetirement#startWatching}: it looks
 * at the key at a fixed interval on the caller's scheduler, hands each look to the listener, and
 * ends when closed or when the key no longer exists. A look that fails (KMS or CloudTrail cannot be
 * read) is kept as {@link #lastFailure()} and the watch goes on.
 */
public final class RetirementWatcher implements AutoCloseable {
  private final AtomicReference<ScheduledFuture<?>> future = new AtomicReference<>();
  private volatile Optional<RetirementWatch> last = Optional.empty();
  private volatile Optional<RuntimeException> failure = Optional.empty();

  private volatile boolean closed;

  RetirementWatcher() {}

  void started(ScheduledFuture<?> f) {
    future.set(Objects.requireNonNull(f, "future"));
    if (closed) {
      f.cancel(false);
    }
  }

  void looked(RetirementWatch watch) {
    last = Optional.of(watch);
    failure = Optional.empty();
    if (watch.outcome() == RetirementWatch.Outcome.DELETED) {
      close();
    }
  }

  void failed(RuntimeException e) {
    failure = Optional.of(e);
  }

  /** Returns the latest look, empty before the first. */
  public Optional<RetirementWatch> last() {
    return last;
  }

  /** Returns why the latest look failed, empty when it did not. */
  public Optional<RuntimeException> lastFailure() {
    return failure;
  }

  /** Returns whether the watch has ended (closed, or the key is gone). */
  public boolean isDone() {
    ScheduledFuture<?> f = future.get();
    return closed || (f != null && f.isDone());
  }

  /** Stops watching; a look under way finishes. */
  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> f = future.get();
    if (f != null) {
      f.cancel(false);
    }
  }
}
