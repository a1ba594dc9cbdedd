package dev.kmsposture.aws.internal;

import dev.kmsposture.aws.scan.ScanProgress;
import dev.kmsposture.aws.scan.ScanProgressListener;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts accounts and keys found, scanned and failed, and tells the listener after each change.
 *
 * <p>Thread-safe.
 */
public final class ProgressTracker {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressTracker.class);

  private final ScanProgressListener listener;
  private final AtomicInteger accountsFound = new AtomicInteger();
  private final AtomicInteger accountsScanned = new AtomicInteger();
  private final AtomicInteger accountsFailed = new AtomicInteger();
  private final AtomicLong keysFound = new AtomicLong();
  private final AtomicLong keysScanned = new AtomicLong();
  private final AtomicLong keysFailed = new AtomicLong();

  /** Creates a tracker that tells {@code listener}. */
  public ProgressTracker(ScanProgressListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Counts {@code n} more accounts to scan. */
  public void accountsFound(int n) {
    accountsFound.addAndGet(n);
    tell();
  }

  /** Counts an account whose scan finished. */
  public void accountScanned() {
    accountsScanned.incrementAndGet();
    tell();
  }

  /** Counts an account that could not be scanned. */
  public void accountFailed() {
    accountsFailed.incrementAndGet();
    tell();
  }

  /** Counts a key listed. */
  public void keyFound() {
    keysFound.incrementAndGet();
    tell();
  }

  /** Counts a key read, failed when some part of it could not be read. */
  public void keyScanned(boolean failed) {
    keysScanned.incrementAndGet();
    if (failed) {
      keysFailed.incrementAndGet();
    }
    tell();
  }

  /** The counts now. */
  public ScanProgress now() {
    return new ScanProgress(
        accountsFound.get(),
        accountsScanned.get(),
        accountsFailed.get(),
        keysFound.get(),
        keysScanned.get(),
        keysFailed.get());
  }

  private void tell() {
    try {
      listener.progressed(now());
    } catch (RuntimeException e) {
      // a progress bar must not stop a scan
      LOG.warn("the scan progress listener failed; the scan goes on", e);
    }
  }
}
