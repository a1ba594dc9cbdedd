package dev.kmsposture.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
public final class InputReader {
  /** The file name that means standard input. */
  public static final String STDIN = "-";

  /**
   * The default size limit: 16 MiB, far above a key policy (32 KiB), a configuration or a baseline.
   */
  public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

  /**
   * The size limit for account snapshots: 1 GiB. A snapshot takes about 2 KB per key (most of it
   * the key policy), so 10,000 keys are about 20 MB and 100,000 keys about 200 MB.
   */
  public static final long SNAPSHOT_MAX_BYTES = 1024L * 1024 * 1024;

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
   *     unreadable, is larger than the limit, or is not valid UTF-8
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
    byte[] bytes;
    try {
      // One byte over the limit is enough to know the input is too large.
      bytes = in.readNBytes((int) maxBytes + 1);
    } catch (IOException e) {
      throw new BadInputException(what + " is not readable: " + e.getMessage(), e);
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(what);
    }
    return bytes;
  }

  private BadInputException tooLarge(String what) {
    return new BadInputException(
        String.format("%s is larger than the limit of %d bytes", what, maxBytes));
  }

  private static String decode(String what, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BadInputException(what + " is not valid UTF-8 text", e);
    }
  }
}
