package dev.kmsposture.aws.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * When a scan must stop: checked before every request, and by waits. Interruption of the scanning
 * thread is checked at the same points, so cancel works wherever the scan is.
 *
 * <p>Thread-safe (immutable).
 */
public final class ScanDeadline {
  /** Thrown where the scan's time ran out; the scan records what it could not read. */
  public static final class Exceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Exceeded(String message) {
      super(message, null, false, false);
    }
  }

  private final long deadlineNanos;
  private final @Nullable Duration timeout;

  private ScanDeadline(long deadlineNanos, @Nullable Duration timeout) {
    this.deadlineNanos = deadlineNanos;
    this.timeout = timeout;
  }

  /** A deadline {@code timeout} from now, or none when {@code timeout} is null. */
  public static ScanDeadline after(@Nullable Duration timeout) {
    if (timeout == null) {
      return new ScanDeadline(Long.MAX_VALUE, null);
    }
    return new ScanDeadline(System.nanoTime() + timeout.toNanos(), timeout);
  }

  /** Whether the time is up. */
  public boolean isExceeded() {
    return timeout != null && System.nanoTime() - deadlineNanos >= 0;
  }

  /** Nanoseconds left, or {@link Long#MAX_VALUE} without a deadline. */
  public long remainingNanos() {
    return timeout == null ? Long.MAX_VALUE : Math.max(0, deadlineNanos - System.nanoTime());
  }

  /** The sentence that explains what stopped: "the scan's timeout of PT10M ended". */
  public String reason() {
    return "the scan's timeout of " + timeout + " ended first";
  }

  /**
   * Throws if the scan must stop.
   *
   * @throws CancellationException if the thread was interrupted (the flag stays set)
   * @throws Exceeded if the time is up
   */
  public void check() {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("the scan was cancelled");
    }
    if (isExceeded()) {
      throw new Exceeded(reason());
    }
  }

  /** Sleeps {@code millis}, or until the deadline, whichever comes first. */
  void sleep(long millis) throws InterruptedException {
    long nanos = Math.min(millis * 1_000_000L, remainingNanos());
    if (nanos > 0) {
      Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
    }
    check();
  }
}
