package dev.kmsposture.cli;

import dev.kmsposture.aws.scan.ScanProgress;
import dev.kmsposture.aws.scan.ScanProgressListener;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress line of the command line, on standard error, rewritten in place ({@code \r}) at most
 * every {@value #INTERVAL_MILLIS} ms and erased when the work is done: only when standard error is
 * a terminal, so logs and pipes never see it. {@code check} counts keys with {@link #update};
 * {@code scan} hands it to the scanner as its {@link ScanProgressListener}, which draws a bar of
 * keys (and accounts) scanned. Thread-safe: the scanner reports from its worker threads.
 */
final class Progress implements ScanProgressListener, AutoCloseable {
  static final long INTERVAL_MILLIS = 250;

  private final PrintWriter err;
  private final boolean enabled;
  private final LongSupplier nanoTime;
  private long last = Long.MIN_VALUE;
  private int shown; // the length of the line on screen

  private Progress(PrintWriter err, boolean enabled, LongSupplier nanoTime) {
    this.err = err;
    this.enabled = enabled;
    this.nanoTime = nanoTime;
  }

  /** Returns a progress line on {@code err} when {@code terminal}; silent otherwise. */
  static Progress on(PrintWriter err, boolean terminal) {
    return new Progress(err, terminal, System::nanoTime);
  }

  /** Returns a progress line that always shows, on the given clock (for tests). */
  static Progress on(PrintWriter err, boolean terminal, LongSupplier nanoTime) {
    return new Progress(err, terminal, nanoTime);
  }

  /**
   * Returns whether standard error is a terminal: when the JVM has a console (standard input and
   * output are terminals too), or, on Linux, when file descriptor 2 is a terminal device (so {@code
   * check … > report.md} still shows progress).
   */
  static boolean stderrIsTerminal() {
    if (consoleIsTerminal()) {
      return true;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      // No /proc (not Linux), or not a link: assume not a terminal, and stay silent.
      return false;
    }
  }

  /**
   * Returns whether the JVM has a console on a terminal. Up to JDK 21 {@code System.console()} is
   * null unless standard input and output are terminals; from JDK 22 it is never null, and {@code
   * Console.isTerminal()} (JDK 22, looked up by name: the build targets Java 17) tells.
   */
  // the null test is for JDK 17 to 21; from JDK 22 isTerminal() decides, as the check advises
  @SuppressWarnings("SystemConsoleNull")
  static boolean consoleIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return Boolean.TRUE.equals(Console.class.getMethod("isTerminal").invoke(console));
    } catch (NoSuchMethodException e) {
      return true; // before JDK 22: a console exists only on a terminal
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /** Shows {@code what} and {@code count}, such as "12,345 keys checked", if it is time to. */
  synchronized void update(String what, long count) {
    if (isTime()) {
      show(String.format(Locale.ROOT, "kms-posture: %,d %s…", count, what));
    }
  }

  /** Shows the scan's progress bar, if it is time to. */
  @Override
  public synchronized void progressed(ScanProgress p) {
    if (isTime()) {
      show(line(p));
    }
  }

  /** The scan's progress bar, such as {@code scanning [#####...............] 25/100 keys}. */
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

  // Whether the line shows and the last one is at least the interval old; if so, now is the last.
  private boolean isTime() {
    if (!enabled) {
      return false;
    }
    long now = nanoTime.getAsLong();
    if (last != Long.MIN_VALUE && now - last < INTERVAL_MILLIS * 1_000_000L) {
      return false;
    }
    last = now;
    return true;
  }

  private void show(String line) {
    StringBuilder sb = new StringBuilder("\r").append(line);
    for (int i = line.length(); i < shown; i++) {
      sb.append(' ');
    }
    shown = line.length();
    err.print(sb);
    err.flush();
  }

  /** Erases the progress line, so what follows starts on a clean line. */
  synchronized void done() {
    if (enabled && shown > 0) {
      err.print("\r" + " ".repeat(shown) + "\r");
      err.flush();
      shown = 0;
    }
    last = Long.MIN_VALUE;
  }

  /** Erases the progress line ({@link #done}). */
  @Override
  public void close() {
    done();
  }
}
