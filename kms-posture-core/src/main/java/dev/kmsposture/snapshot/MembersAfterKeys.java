package dev.kmsposture.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * Finds what follows a snapshot's {@code keys} array without reading the keys: their brackets and
 * strings are only counted, so that skipping a snapshot of hundreds of megabytes costs a fraction
 * of parsing it. Nothing is checked here; the document is parsed in full afterwards ({@link
 * SnapshotReader#read(InputStream, SnapshotReader.KeyConsumer, SnapshotReader.LookAhead)}), and
 * what is found here only decides whether the keys need wait.
 *
 * <p>The count is that of a reader taking a byte at a time: outside a string, {@code "} opens one
 * and <code>[ {</code> and <code>] }</code> count up and down; inside, <code>\</code> makes the
 * next byte plain and {@code "} closes it. It runs 64 bytes at a time: eight words give a bit per
 * byte for each of quote, backslash, opening and closing bracket; the bytes a backslash makes
 * plain, and then those inside strings, follow from these bits with a few word operations; and a
 * block whose closing brackets cannot bring the count to zero is passed over with a popcount. A
 * block that holds a backslash outside any string (never in JSON, and read then a byte at a time as
 * the bits do not model it) is counted a byte at a time, as is the input's last partial block.
 */
final class MembersAfterKeys {
  private static final int BUFFER = 1 << 16;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
  private static final long HIGH = 0x8080808080808080L;
  // Clears the bit that tells [ from { and ] from } (and the top bit).
  private static final long CASE = 0x5f5f5f5f5f5f5f5fL;
  private static final long QUOTES = '"' * ONES;
  private static final long BACKSLASHES = '\\' * ONES;
  private static final long OPENING = '[' * ONES;
  private static final long CLOSING = ']' * ONES;
  private static final long EVEN_BITS = 0x5555555555555555L;

  private MembersAfterKeys() {}

  /**
   * Returns the members after the array that starts at byte {@code keysAt} of {@code in}, as the
   * text of one JSON object ({@code {"trails": [...], ...}}, {@code {}} when the array is the last
   * member), or null when the byte there is not {@code [}, the array does not end, or what follows
   * it is longer than {@code max} bytes or does not begin with {@code ,} or <code>}</code>.
   *
   * @throws IOException if {@code in} fails
   */
  static byte @Nullable [] find(InputStream in, long keysAt, long max) throws IOException {
    long skipped = 0;
    while (skipped < keysAt) {
      long n = in.skip(keysAt - skipped);
      if (n <= 0) {
        if (in.read() < 0) {
          return null;
        }
        n = 1;
      }
      skipped += n;
    }
    byte[] buffer = new byte[BUFFER];
    int n = fill(in, buffer, 0);
    if (n == 0 || buffer[0] != '[') {
      return null;
    }
    boolean more = n == buffer.length;
    Scan s = new Scan();
    int i = 1;
    while (true) {
      while (n - i >= 64) {
        int end = s.block(buffer, i);
        if (end >= 0) {
          return rest(buffer, end, n, in, max);
        }
        i += 64;
      }
      if (!more) {
        int end = s.bytes(buffer, i, n);
        return end >= 0 ? rest(buffer, end, n, in, max) : null;
      }
      // Fewer than 64 bytes left: moved to the front, and the buffer filled behind them.
      int left = n - i;
      System.arraycopy(buffer, i, buffer, 0, left);
      i = 0;
      n = fill(in, buffer, left);
      more = n == buffer.length;
    }
  }

  /**
   * Reads into {@code buffer} from {@code from} until it is full or a read gives no byte (the
   * input's end); returns how many bytes it holds.
   */
  private static int fill(InputStream in, byte[] buffer, int from) throws IOException {
    int n = from;
    while (n < buffer.length) {
      int r = in.read(buffer, n, buffer.length - n);
      if (r <= 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  /** Where the count stands between blocks. */
  private static final class Scan {
    private int depth = 1;
    // All ones when inside a string.
    private long inString;
    // 1 when inside a string and the next byte is made plain by a backslash.
    private long escaped;
    // Set by plainBytes: 1 when the block ends with a backslash that makes the next byte plain.
    private long escapedOut;

    /**
     * Counts the 64 bytes at {@code from}; returns the index just past the bracket that ends the
     * array, or -1 when the array goes on.
     */
    int block(byte[] b, int from) {
      // Bit 8j + w is byte j of word w (byte 8w + j of the block): a transposed order, which
      // costs two operations a word to gather, and one transposition per mask to undo.
      long quote = 0;
      long backslash = 0;
      long opening = 0;
      long closing = 0;
      for (int w = 0; w < 8; w++) {
        long x = (long) LONGS.get(b, from + 8 * w);
        long low = x & LOW7;
        long ascii = ~x & HIGH;
        long folded = low & CASE;
        int shift = 7 - w;
        quote |= (ascii & ~((low ^ QUOTES) + LOW7)) >>> shift;
        backslash |= (ascii & ~((low ^ BACKSLASHES) + LOW7)) >>> shift;
        opening |= (ascii & ~((folded ^ OPENING) + LOW7)) >>> shift;
        closing |= (ascii & ~((folded ^ CLOSING) + LOW7)) >>> shift;
      }
      backslash = transpose(backslash);
      long plain = plainBytes(backslash);
      long quotes = transpose(quote) & ~plain;
      long strings = prefixXor(quotes) ^ inString;
      if ((backslash & ~strings) != 0) {
        // A backslash outside a string: a byte at a time (plainBytes did not look at strings).
        return bytes(b, from, from + 64);
      }
      // Carried on: whether the block ends inside a string, and with a pending backslash.
      inString = strings >> 63;
      escaped = escapedOut;
      long outside = ~transpose(strings);
      opening &= outside;
      closing &= outside;
      // The count cannot reach zero in this block: only the totals matter, in any order.
      if (Long.bitCount(closing) < depth) {
        depth += Long.bitCount(opening) - Long.bitCount(closing);
        return -1;
      }
      opening = transpose(opening);
      long brackets = opening | transpose(closing);
      while (brackets != 0) {
        long bit = brackets & -brackets;
        brackets ^= bit;
        if ((opening & bit) != 0) {
          depth++;
        } else if (--depth == 0) {
          return from + Long.numberOfTrailingZeros(bit) + 1;
        }
      }
      return -1;
    }

    /**
     * The bytes that a backslash makes plain: the byte after each run of backslashes of odd length
     * (counted from the run's start, or from the block's start when the last block ended with a
     * pending backslash, which makes the first byte plain).
     */
    private long plainBytes(long backslash) {
      long carried = escaped;
      long b = backslash & ~carried;
      long followsEscape = (b << 1) | carried;
      long oddStarts = b & ~EVEN_BITS & ~followsEscape;
      long sum = oddStarts + b;
      escapedOut = Long.compareUnsigned(sum, oddStarts) < 0 ? 1 : 0;
      long invert = sum << 1;
      return (EVEN_BITS ^ invert) & followsEscape;
    }

    /**
     * Counts bytes {@code [from, to)} one at a time; returns the index just past the bracket that
     * ends the array, or -1 when the array goes on.
     */
    int bytes(byte[] b, int from, int to) {
      boolean string = inString != 0;
      boolean escape = escaped != 0;
      for (int i = from; i < to; i++) {
        byte c = b[i];
        if (string) {
          if (escape) {
            escape = false;
          } else if (c == '\\') {
            escape = true;
          } else if (c == '"') {
            string = false;
          }
        } else if (c == '"') {
          string = true;
        } else if (c == '[' || c == '{') {
          depth++;
        } else if ((c == ']' || c == '}') && --depth == 0) {
          return i + 1;
        }
      }
      inString = string ? -1L : 0L;
      escaped = escape ? 1L : 0L;
      return -1;
    }
  }

  // Swaps bit 8i + j with bit 8j + i (i, j from 0 to 7): an 8 by 8 bit matrix transposed.
  private static long transpose(long x) {
    long t = (x ^ (x >>> 7)) & 0x00aa00aa00aa00aaL;
    x ^= t ^ (t << 7);
    t = (x ^ (x >>> 14)) & 0x0000cccc0000ccccL;
    x ^= t ^ (t << 14);
    t = (x ^ (x >>> 28)) & 0x00000000f0f0f0f0L;
    x ^= t ^ (t << 28);
    return x;
  }

  // Bit i is the parity of bits 0 to i of x: the bytes from each opening quote up to (without)
  // its closing one.
  private static long prefixXor(long x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
  }

  // What follows the array's end (buffer[from, to) and the rest of in), as an object's text.
  private static byte @Nullable [] rest(byte[] buffer, int from, int to, InputStream in, long max)
      throws IOException {
    if (to - from > max) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('{');
    out.write(buffer, from, to - from);
    byte[] more = new byte[BUFFER];
    int n;
    while ((n = in.read(more)) > 0) {
      // out holds "{" and what follows the array
      if (out.size() - 1 + (long) n > max) {
        return null;
      }
      out.write(more, 0, n);
    }
    byte[] text = out.toByteArray();
    // After "{": white space, then "," before more members or "}" when the keys came last.
    int i = 1;
    while (i < text.length && isSpace(text[i])) {
      i++;
    }
    if (i == text.length) {
      return null;
    }
    if (text[i] == ',') {
      text[i] = ' ';
      return text;
    }
    return text[i] == '}' ? text : null;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }
}
