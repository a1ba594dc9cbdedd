package dev.kmsposture.testkit.internal.kms;

import java.nio.charset.StandardCharsets;

/**
 * UUIDs in their canonical text (8-4-4-4-12 hex digits, lower case) as two longs and back, so that
 * the journal keeps an id in 16 bytes: {@link #text} gives back exactly the text {@link #parse}
 * read. The engine's ids ({@code Ids}) are written by {@link #text} too.
 */
public final class Uuids {
  private static final int LENGTH = 36;
  private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Uuids() {}

  /**
   * Reads {@code text} into {@code out[at]} (the first 16 digits) and {@code out[at + 1]} (the last
   * 16) when it is a UUID in canonical lower-case form.
   *
   * @return whether it was; when not, {@code out} may have been written
   */
  public static boolean parse(String text, long[] out, int at) {
    if (text.length() != LENGTH
        || text.charAt(8) != '-'
        || text.charAt(13) != '-'
        || text.charAt(18) != '-'
        || text.charAt(23) != '-') {
      return false;
    }
    long high = 0;
    long low = 0;
    long bad = 0;
    for (int i = 0; i < 19; i++) {
      if (i == 8 || i == 13 || i == 18) {
        continue;
      }
      int d = digit(text.charAt(i));
      bad |= d;
      high = high << 4 | (d & 0xF);
    }
    for (int i = 19; i < LENGTH; i++) {
      if (i == 23) {
        continue;
      }
      int d = digit(text.charAt(i));
      bad |= d;
      low = low << 4 | (d & 0xF);
    }
    if (bad < 0) {
      return false;
    }
    out[at] = high;
    out[at + 1] = low;
    return true;
  }

  /** The value of lower-case hex digit {@code c}, or a negative number. */
  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  /** The canonical lower-case text of the UUID {@code high}, {@code low}. */
  public static String text(long high, long low) {
    byte[] out = new byte[LENGTH];
    hex(out, 0, high >>> 32, 8);
    out[8] = '-';
    hex(out, 9, high >>> 16, 4);
    out[13] = '-';
    hex(out, 14, high, 4);
    out[18] = '-';
    hex(out, 19, low >>> 48, 4);
    out[23] = '-';
    hex(out, 24, low, 12);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** Writes the low {@code digits} hex digits of {@code bits} at {@code offset}, lower case. */
  static void hex(byte[] out, int offset, long bits, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[offset + i] = DIGITS[(int) (bits & 0xF)];
      bits >>>= 4;
    }
  }
}
