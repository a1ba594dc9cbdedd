package dev.kmsposture.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Standard output that does not fail silently. {@link java.io.PrintStream} and {@link PrintWriter}
 * swallow write errors, so a command writing to a full disk ({@code > /dev/full}) or a closed pipe
 * would exit 0 having written nothing. The writer made here throws {@link Failure} on the first
 * failed write or flush, which stops the command at once; the command line reports it on standard
 * error and exits {@link ExitCode#INTERNAL}.
 */
final class StandardOutput {
  private StandardOutput() {}

  /**
   * Returns a UTF-8 writer on {@code stream} that throws {@link Failure} when a write or flush
   * fails. Output is buffered; {@code println} flushes, so a command's lines appear as it writes
   * them.
   */
  static PrintWriter writer(OutputStream stream) {
    return new Writer(new FailFast(stream));
  }

  /**
   * Returns the failure of {@code out}'s standard output, or null when it has not failed (or {@code
   * out} was not made by {@link #writer}).
   */
  static @Nullable Failure failureOf(PrintWriter out) {
    return out instanceof Writer w ? w.stream.failure : null;
  }

  /**
   * Prints the one-line message for {@code failure} on {@code err}, once: the command line may meet
   * the same failure twice (where the command stopped, and in the final flush).
   */
  static void report(PrintWriter err, Failure failure) {
    if (failure.reported) {
      return;
    }
    failure.reported = true;
    err.println(message(failure));
    err.flush();
  }

  /**
   * Returns the byte stream under {@code out} when it was made by {@link #writer}, for commands
   * that write large output already encoded as UTF-8 (evaluate): a write or flush that fails throws
   * {@link Failure} as the writer does. Flush {@code out} before writing there. Empty for other
   * writers.
   */
  static Optional<OutputStream> bytesOf(PrintWriter out) {
    return out instanceof Writer w ? Optional.of(w.stream) : Optional.empty();
  }

  /** Returns the one-line message for a failed standard output. */
  static String message(Failure failure) {
    String reason = failure.getCause() == null ? null : failure.getCause().getMessage();
    return "error: cannot write to standard output"
        + (reason == null || reason.isBlank() ? "" : " (" + reason + ")")
        + "; the output is incomplete";
  }

  /** The writer: a UTF-8 {@link PrintWriter} that keeps its stream for {@link #failureOf}. */
  private static final class Writer extends PrintWriter {
    final FailFast stream;

    Writer(FailFast stream) {
      super(stream, true, StandardCharsets.UTF_8);
      this.stream = stream;
    }
  }

  /** Standard output could not be written: the output the command meant to give is incomplete. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private transient boolean reported;

    Failure(IOException cause) {
      super("cannot write to standard output: " + cause.getMessage(), cause);
    }
  }

  /**
   * Passes bytes through and turns the first {@link IOException} into a {@link Failure}; after it,
   * writes are dropped (the command is stopping, and what it writes cannot arrive).
   */
  private static final class FailFast extends FilterOutputStream {
    @Nullable Failure failure;

    FailFast(OutputStream out) {
      super(Objects.requireNonNull(out, "out"));
    }

    private Failure fail(IOException e) {
      Failure f = new Failure(e);
      failure = f;
      return f;
    }

    @Override
    public void write(int b) {
      if (failure != null) {
        return;
      }
      try {
        out.write(b);
      } catch (IOException e) {
        throw fail(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (failure != null) {
        return;
      }
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw fail(e);
      }
    }

    @Override
    public void flush() {
      if (failure != null) {
        return;
      }
      try {
        out.flush();
      } catch (IOException e) {
        throw fail(e);
      }
    }

    @Override
    public void close() {
      flush();
    }
  }
}
