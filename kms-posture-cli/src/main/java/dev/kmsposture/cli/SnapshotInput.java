package dev.kmsposture.cli;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The snapshot as {@code check} streams it: the bytes pass through unchanged, except that a NUL
 * byte (which JSON never holds raw) stops the read at once with {@link NotText}, as {@link
 * InputReader} stops, so {@code check /dev/zero} ends at its first block; and the first {@value
 * #PREFIX_BYTES} bytes are kept, so that a document that is plainly not a snapshot (a key policy)
 * can be named when the snapshot does not parse ({@link NotASnapshot}), without reading the input
 * twice.
 */
final class SnapshotInput extends FilterInputStream {
  /** How many leading bytes are kept: twice the largest key policy KMS accepts (32 KB). */
  static final int PREFIX_BYTES = 64 * 1024;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;

  private final String what;
  private final boolean closeable;
  private byte[] prefix = new byte[4096];
  private int prefixLength;
  private long position;

  /**
   * The input holds a NUL byte. An {@link IOException}, so that the JSON reader passes it through
   * unwrapped from wherever it stood.
   */
  static final class NotText extends IOException {
    private static final long serialVersionUID = 1L;

    NotText(String message) {
      super(message);
    }
  }

  /**
   * @param in the snapshot's bytes
   * @param what the input as messages name it: {@code input file [s.json]} or {@code standard
   *     input}
   * @param closeable whether {@link #close()} closes {@code in} (standard input belongs to the
   *     caller and is left open)
   */
  SnapshotInput(InputStream in, String what, boolean closeable) {
    super(in);
    this.what = what;
    this.closeable = closeable;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n <= 0) {
      return n;
    }
    int nul = firstNul(b, off, off + n);
    if (nul >= 0) {
      throw new NotText(
          String.format(
              "%s is not text: byte %d is NUL; expected UTF-8 JSON or YAML (a binary file, or"
                  + " a device such as /dev/zero?)",
              what, position + nul - off));
    }
    keep(b, off, n);
    position += n;
    return n;
  }

  /**
   * Returns the index of the first NUL byte of {@code b[from, to)}, or -1 when there is none: eight
   * bytes at a time (the whole snapshot passes through here on the thread that reads it).
   */
  static int firstNul(byte[] b, int from, int to) {
    int i = from;
    for (; to - i >= 8; i += 8) {
      long x = (long) LONGS.get(b, i);
      // the top bit of each zero byte, and of no other
      long zero = ~(((x & LOW7) + LOW7) | x | LOW7);
      if (zero != 0) {
        return i + (Long.numberOfTrailingZeros(zero) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes would go unchecked: read them instead.
    byte[] buffer = new byte[(int) Math.min(n, 8192)];
    int read = read(buffer, 0, buffer.length);
    return Math.max(read, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() throws IOException {
    if (closeable) {
      super.close();
    }
  }

  private void keep(byte[] b, int off, int n) {
    int room = PREFIX_BYTES - prefixLength;
    if (room <= 0) {
      return;
    }
    int take = Math.min(room, n);
    if (prefixLength + take > prefix.length) {
      prefix =
          Arrays.copyOf(
              prefix, Math.min(PREFIX_BYTES, Math.max(2 * prefix.length, prefixLength + take)));
    }
    System.arraycopy(b, off, prefix, prefixLength, take);
    prefixLength += take;
  }

  /**
   * Returns what the input is when its start shows it is plainly not a snapshot (see {@link
   * NotASnapshot}); empty otherwise, or when the document is longer than the kept prefix.
   */
  Optional<String> notASnapshot() {
    Reader start =
        new InputStreamReader(
            new ByteArrayInputStream(prefix, 0, prefixLength), StandardCharsets.UTF_8);
    return NotASnapshot.describe(start);
  }
}
