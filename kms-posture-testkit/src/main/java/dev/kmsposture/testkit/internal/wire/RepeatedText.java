package dev.kmsposture.testkit.internal.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Hands out one shared {@code String} for text that repeats from request to request — the
 * operation, the Region and access key of the credential scope, the SDK's {@code User-Agent}, the
 * request parameters of a journal entry — instead of a new copy each time. Every journal entry
 * holds such text for the life of the journal; shared, a long-running test (or a benchmark making
 * 50,000 calls a second) keeps a fraction of the memory, and the collector copies a fraction of the
 * bytes.
 *
 * <p>A small table of recent texts, looked up by length and a few characters: a hit returns the
 * text remembered (equal to the one asked for, character for character), a miss makes the new
 * string and remembers it in place of the old. So the answer is always equal to the text asked for;
 * only whether it is a shared instance depends on what came before. The table never grows.
 *
 * <p>Thread-safe without locks: slots hold immutable values, read and replaced whole (a racing
 * thread at worst misses and makes its own copy).
 */
public final class RepeatedText {
  private static final int SLOTS = 64;

  private final @Nullable String[] texts = new String[SLOTS];
  private final @Nullable Latin1[] latin1 = new Latin1[SLOTS];

  /** A remembered ISO-8859-1 text with its bytes, compared without decoding. */
  private static final class Latin1 {
    final byte[] bytes;
    final String text;

    Latin1(byte[] bytes, String text) {
      this.bytes = bytes;
      this.text = text;
    }
  }

  /** Creates an empty table. */
  public RepeatedText() {}

  /** {@code text} itself, or an equal string remembered from before. */
  public String of(String text) {
    int length = text.length();
    int slot = slot(length, length == 0 ? 0 : text.charAt(0), charAt(text, 0, length));
    String known = texts[slot];
    // String.equals compares whole arrays at once (an intrinsic); regionMatches goes character by
    // character, which for a 200-character User-Agent on every request is what shows
    if (known != null && known.equals(text)) {
      return known;
    }
    texts[slot] = text;
    return text;
  }

  /**
   * {@code source.substring(start, end)}, or an equal string remembered from before (without making
   * the substring).
   *
   * @throws IndexOutOfBoundsException as {@link String#substring(int, int)} does
   */
  public String of(String source, int start, int end) {
    int length = end - start;
    if (start < 0 || end > source.length() || length < 0) {
      throw new IndexOutOfBoundsException(
          "range [" + start + ", " + end + ") of a text of length " + source.length());
    }
    int slot = slot(length, length == 0 ? 0 : source.charAt(start), charAt(source, start, length));
    String known = texts[slot];
    if (known != null
        && known.length() == length
        && source.regionMatches(start, known, 0, length)) {
      return known;
    }
    String made = start == 0 && end == source.length() ? source : source.substring(start, end);
    texts[slot] = made;
    return made;
  }

  /**
   * The ISO-8859-1 text of {@code bytes[0..length)}, or an equal string remembered from before
   * (without making a new one).
   */
  public String latin1(byte[] bytes, int length) {
    return latin1(bytes, 0, length);
  }

  /**
   * The ISO-8859-1 text of {@code bytes[offset..offset + length)}, or an equal string remembered
   * from before (without making a new one).
   *
   * @throws IndexOutOfBoundsException if the range is outside {@code bytes}
   */
  public String latin1(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || length > bytes.length - offset) {
      throw new IndexOutOfBoundsException(
          "range of "
              + length
              + " bytes at ["
              + offset
              + "] of a buffer of "
              + bytes.length
              + " bytes");
    }
    int slot =
        slot(
            length,
            length == 0 ? 0 : bytes[offset] & 0xff,
            length == 0 ? 0 : bytes[offset + length / 2] & 0xff);
    Latin1 known = latin1[slot];
    if (known != null
        && Arrays.equals(known.bytes, 0, known.bytes.length, bytes, offset, offset + length)) {
      return known.text;
    }
    byte[] copy = Arrays.copyOfRange(bytes, offset, offset + length);
    String made = new String(copy, StandardCharsets.ISO_8859_1);
    latin1[slot] = new Latin1(copy, made);
    return made;
  }

  private static int charAt(String source, int start, int length) {
    return length == 0 ? 0 : source.charAt(start + length / 2);
  }

  private static int slot(int length, int first, int middle) {
    int h = length * 31 + first;
    h = h * 31 + middle;
    return (h ^ (h >>> 7)) & (SLOTS - 1);
  }
}
