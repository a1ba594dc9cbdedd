package dev.kmsposture.testkit.internal.kms;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * UUIDs in their canonical text (8-4-4-4-12 hex digits, lower case) as two longs and back, so that
 * the journal keeps an id in 16 bytes: {@link #text} gives back exactly the text {@link #parse}
 * read. The engine's ids ({@code Ids}) and the embedded KMS's request ids are written by {@link
 * #text} too, and {@link #parse} hands back the bits of the last few it wrote on the calling thread
 * without reading them again.
 */
public final class Uuids {
  private static final int LENGTH = 36;
  private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  // the value of each lower-case hex digit below 0x80, -1 for every other character
  private static final byte[] VALUES = new byte[0x80];

  static {
    Arrays.fill(VALUES, (byte) -1);
    for (int d = 0; d < 16; d++) {
      VALUES[DIGITS[d]] = (byte) d;
    }
  }

  // the ids made last on each thread, with their bits: an id made here (a request id, a journal
  // event id) is read back by the journal moments later on the same thread, and the very instance
  // (compared with ==) gives its bits without reading its 36 characters again
  private static final ThreadLocal<Made> MADE = ThreadLocal.withInitial(Made::new);
  private static final int REMEMBERED = 4;

  /** The last {@link #REMEMBERED} texts {@link #text} made on one thread, with their bits. */
  private static final class Made {
    final @Nullable String[] texts = new String[REMEMBERED];
    final long[] bits = new long[2 * REMEMBERED];
    int next;
  }

  private Uuids() {}

  /**
   * Reads {@code text} into {@code out[at]} (the first 16 digits) and {@code out[at + 1]} (the last
   * 16) when it is a UUID in canonical lower-case form.
   *
   * @return whether it was; when not, {@code out} may have been written
   */
  @SuppressWarnings("ReferenceEquality") // the very instance text() made, not an equal one
  public static boolean parse(String text, long[] out, int at) {
    Made made = MADE.get();
    for (int i = 0; i < REMEMBERED; i++) {
      if (made.texts[i] == text) {
        // made by text(): its bits are what reading it gives
        out[at] = made.bits[2 * i];
        out[at + 1] = made.bits[2 * i + 1];
        return true;
      }
    }
    return read(text, out, at);
  }

  /** {@link #parse}, reading the text. */
  static boolean read(String text, long[] out, int at) {
    if (text.length() != LENGTH
        || text.charAt(8) != '-'
        || text.charAt(13) != '-'
        || text.charAt(18) != '-'
        || text.charAt(23) != '-') {
      return false;
    }
    // the five groups, each read without a branch per digit: the digits of a random id are
    // letters or numbers at random, which a test per digit (is it 0-9? a-f?) mispredicts often
    long first = hex(text, 0, 8);
    long second = hex(text, 9, 13);
    long third = hex(text, 14, 18);
    long fourth = hex(text, 19, 23);
    long fifth = hex(text, 24, LENGTH);
    if ((first | second | third | fourth | fifth) < 0) {
      return false;
    }
    out[at] = first << 32 | second << 16 | third;
    out[at + 1] = fourth << 48 | fifth;
    return true;
  }

  /**
   * The value of the lower-case hex digits {@code text[from..to)} (at most 15), or -1 when one of
   * them is not such a digit.
   */
  private static long hex(String text, int from, int to) {
    long value = 0;
    int bad = 0;
    for (int i = from; i < to; i++) {
      int c = text.charAt(i);
      int d = VALUES[c & 0x7F];
      // negative when c is not a digit: VALUES says so below 0x80, and 0x7F - c above it
      bad |= d | (0x7F - c);
      value = value << 4 | (d & 0xF);
    }
    return bad < 0 ? -1 : value;
  }

  /** The canonical lower-case text of the UUID {@code high}, {@code low}. */
  public static String text(long high, long low) {
    // UUID.toString writes its text into the string's own bytes (no copy), which a String made
    // here from an array cannot
    String text = new UUID(high, low).toString();
    Made made = MADE.get();
    int slot = made.next;
    made.texts[slot] = text;
    made.bits[2 * slot] = high;
    made.bits[2 * slot + 1] = low;
    made.next = (slot + 1) % REMEMBERED;
    return text;
  }
}
