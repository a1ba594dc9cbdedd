package dev.kmsposture.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads a command's input as UTF-8 text: a file named on the command line, or standard input when
 * the name is {@value #STDIN}. Every failure is a {@link BadInputException} whose message names the
 * file.
 *
 * <pre>{@code
 * String policyJson = input.read(policyFile); // "policy.json" or "-"
 * }</pre>
 */
final class InputReader {
  /** The file name that means standard input. */
  public static final String STDIN = "-";

  /** The default size limit, for configurations: 16 MiB. */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

  /**
   * The size limit for key policies and role files: 1 MiB, 32 times the largest key policy KMS
   * accepts (32 KB), so that whitespace and comments never matter but a file that could never be a
   * key policy is refused before any work is done on it.
   */
  public static final long POLICY_MAX_BYTES = 1024L * 1024;

  /**
   * The size limit for baselines: 256 MiB. A baseline holds one 32-character fingerprint per
   * accepted failure, about 40 bytes each, so a million accepted failures take about 40 MB.
   */
  public static final long BASELINE_MAX_BYTES = 256L * 1024 * 1024;

  /**
   * The size limit for account snapshots: 1 GiB. A snapshot takes about 2 KB per key (most of it
   * the key policy), so 10,000 keys are about 20 MB and 100,000 keys about 200 MB.
   */
  public static final long SNAPSHOT_MAX_BYTES = 1024L * 1024 * 1024;

  private static final int CHUNK_BYTES = 64 * 1024;

  private final InputStream stdin;
  private final long maxBytes;

  private InputReader(InputStream stdin, long maxBytes) {
    this.stdin = stdin;
    this.maxBytes = maxBytes;
  }

  /**
   * Returns a reader that takes {@value #STDIN} from {@code stdin} and rejects inputs larger than
   * {@code maxBytes}.
   *
   * @param stdin what {@value #STDIN} reads; the reader does not close it
   * @param maxBytes the largest input accepted, in bytes
   * @throws NullPointerException if {@code stdin} is null
   * @throws IllegalArgumentException if {@code maxBytes} is not positive or exceeds {@code
   *     Integer.MAX_VALUE - 8}
   */
  public static InputReader of(InputStream stdin, long maxBytes) {
    Objects.requireNonNull(stdin, "stdin");
    if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          String.format(
              "maxBytes [%d] is out of range; expected 1 to %d", maxBytes, Integer.MAX_VALUE - 8));
    }
    return new InputReader(stdin, maxBytes);
  }

  /** Returns a reader of the same standard input with another size limit. */
  public InputReader withMaxBytes(long maxBytes) {
    return of(stdin, maxBytes);
  }

  /**
   * Returns a reader for one kind of input: this reader's limit raised or lowered to {@code
   * kindLimit}, except that a limit lower than the default (set by a test, or a caller that wants
   * less) is kept when the kind's limit is higher.
   *
   * @param kindLimit the limit of the kind of input, such as {@link #POLICY_MAX_BYTES}
   * @return a reader of the same standard input with the kind's limit
   */
  public InputReader forKind(long kindLimit) {
    long limit = maxBytes < DEFAULT_MAX_BYTES ? Math.min(maxBytes, kindLimit) : kindLimit;
    return limit == maxBytes ? this : of(stdin, limit);
  }

  /** Returns the largest input this reader accepts, in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Reads {@code name} as UTF-8 text.
   *
   * @param name a file path, or {@value #STDIN} for standard input
   * @return the whole text
   * @throws NullPointerException if {@code name} is null
   * @throws BadInputException if the name is empty, or the file does not exist, is a directory, is
   *     unreadable, is larger than the limit, holds a NUL byte (it is not text: checked as it is
   *     read, so {@code /dev/zero} stops at once), or is not valid UTF-8
   */
  public String read(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new BadInputException(
          "input file name is empty; pass a file path, or - for standard input");
    }
    if (name.equals(STDIN)) {
      return decode("standard input", readBounded(stdin, "standard input"));
    }
    String what = "input file [" + name + "]";
    Path path;
    try {
      path = Path.of(name);
    } catch (InvalidPathException e) {
      throw new BadInputException(what + " is not a valid path: " + e.getReason(), e);
    }
    if (Files.isDirectory(path)) {
      throw new BadInputException(what + " is a directory; expected a file");
    }
    try {
      if (Files.size(path) > maxBytes) {
        throw tooLarge(what);
      }
      try (InputStream in = Files.newInputStream(path)) {
        return decode(what, readBounded(in, what));
      }
    } catch (NoSuchFileException e) {
      throw new BadInputException(what + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new BadInputException(what + " is not readable: permission denied", e);
    } catch (IOException e) {
      throw new BadInputException(what + " is not readable: " + e.getMessage(), e);
    }
  }

  private byte[] readBounded(InputStream in, String what) {
    // Read in chunks, so that a device that never ends (/dev/zero) or a binary file stops at its
    // first chunk instead of at the size limit: JSON and YAML never hold a raw NUL byte.
    byte[] chunk = new byte[CHUNK_BYTES];
    byte[] bytes = new byte[0];
    int length = 0;
    while (true) {
      int n;
      try {
        n = in.read(chunk, 0, (int) Math.min(chunk.length, maxBytes + 1 - length));
      } catch (IOException e) {
        throw new BadInputException(what + " is not readable: " + e.getMessage(), e);
      }
      if (n < 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (chunk[i] == 0) {
          throw new BadInputException(
              String.format(
                  "%s is not text: byte %d is NUL; expected UTF-8 JSON or YAML (a binary file, or"
                      + " a device such as /dev/zero?)",
                  what, length + i));
        }
      }
      if (length + n > bytes.length) {
        bytes =
            Arrays.copyOf(
                bytes, (int) Math.min(maxBytes + 1, Math.max(2L * bytes.length, length + n)));
      }
      System.arraycopy(chunk, 0, bytes, length, n);
      length += n;
      if (length > maxBytes) {
        throw tooLarge(what);
      }
    }
    return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
  }

  private BadInputException tooLarge(String what) {
    return new BadInputException(
        String.format("%s is larger than the limit of %d bytes", what, maxBytes));
  }

  private static String decode(String what, byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out =
        CharBuffer.allocate((int) (bytes.length * (double) decoder.maxCharsPerByte()) + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      // The buffer stops at the first byte that is not part of a UTF-8 character: say where.
      throw new BadInputException(
          String.format(
              "%s is not valid UTF-8 text: byte %d is not part of a UTF-8 character",
              what, in.position()));
    }
    return out.flip().toString();
  }
}
