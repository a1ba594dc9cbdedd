package dev.kmsposture.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * The scan {@link MembersAfterKeys} replaced, kept as it was: a byte at a time, one branch per
 * byte. The reference its answers must equal ({@link MembersAfterKeysProperties}).
 */
final class MembersAfterKeysReference {
  private static final int BUFFER = 1 << 16;

  private MembersAfterKeysReference() {}

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
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    boolean first = true;
    int n;
    while ((n = in.read(buffer)) > 0) {
      for (int i = 0; i < n; i++) {
        byte c = buffer[i];
        if (first) {
          if (c != '[') {
            return null;
          }
          first = false;
          depth = 1;
          continue;
        }
        if (inString) {
          if (escaped) {
            escaped = false;
          } else if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '[' || c == '{') {
          depth++;
        } else if ((c == ']' || c == '}') && --depth == 0) {
          return rest(buffer, i + 1, n, in, max);
        }
      }
    }
    return null;
  }

  // What follows the array's end (buffer[from, to) and the rest of in), as an object's text.
  private static byte @Nullable [] rest(byte[] buffer, int from, int to, InputStream in, long max)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('{');
    out.write(buffer, from, to - from);
    byte[] more = new byte[BUFFER];
    int n;
    while ((n = in.read(more)) > 0) {
      if (out.size() + (long) n > max) {
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
