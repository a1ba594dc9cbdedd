package dev.kmsposture.cli;

import dev.kmsposture.aws.scan.ScanProgress;
import dev.kmsposture.aws.scan.ScanProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress bar of {@code scan}: one line on standard error, redrawn at most five times a
 * second, only when standard error is a terminal (quiet when output is piped or captured).
 */
final class ScanProgressBar implements ScanProgressListener, AutoCloseable {
  private static final long EVERY_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final boolean enabled;
  private long lastDrawn;
  private int width;

  ScanProgressBar(PrintWriter err, boolean terminal) {
    this.err = err;
    this.enabled = terminal;
  }

  @Override
  public synchronized void progressed(ScanProgress p) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDrawn < EVERY_NANOS) {
      return;
    }
    lastDrawn = now;
    String line = line(p);
    err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    width = line.length();
    err.flush();
  }

  static String line(ScanProgress p) {
    String accounts =
        p.accountsFound() > 1
            ? String.format(
                Locale.ROOT,
                "accounts %d/%d%s, ",
                p.accountsScanned() + p.accountsFailed(),
                p.accountsFound(),
                p.accountsFailed() == 0 ? "" : " (" + p.accountsFailed() + " failed)")
            : "";
    int percent =
        p.keysFound() == 0 ? 0 : (int) Math.min(100, 100 * p.keysScanned() / p.keysFound());
    int filled = percent / 5;
    return String.format(
        Locale.ROOT,
        "scanning [%s%s] %s%d/%d keys%s",
        "#".repeat(filled),
        ".".repeat(20 - filled),
        accounts,
        p.keysScanned(),
        p.keysFound(),
        p.keysFailed() == 0 ? "" : " (" + p.keysFailed() + " with unreadable parts)");
  }

  @Override
  public synchronized void close() {
    if (enabled && width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
    }
  }
}
