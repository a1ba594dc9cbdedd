package dev.kmsposture.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.kmsposture.access.AccessRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads one request line of {@code evaluate} with Jackson's streaming parser, straight from the
 * line's bytes into an {@link AccessRequest} (no tree, no decoded copy of the line). A line that is
 * not a request throws {@link BadLineException} with a message that echoes at most {@value
 * #ECHO_CHARS} characters of any one input value, so an error line stays short however long the
 * input.
 *
 * <p>Stateless and thread-safe.
 */
final class RequestParser {
  /** The most characters of one input value an error message repeats. */
  static final int ECHO_CHARS = 64;

  private static final JsonFactory JSON = new JsonFactory();

  private RequestParser() {}

  /** A line that is not a valid request; the message says what and where. */
  static final class BadLineException extends Exception {
    private static final long serialVersionUID = 1L;

    BadLineException(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code length} bytes of {@code line} from {@code offset}.
   *
   * @throws BadLineException if the bytes are not one JSON request object of the documented form
   */
  static AccessRequest parse(byte[] line, int offset, int length) throws BadLineException {
    try (Lines lines = new Lines(line, offset + length, new Strings())) {
      return lines.parse(offset, length);
    }
  }

  /**
   * Parses the lines of one buffer with one Jackson parser, which runs on from each line into the
   * next: creating a parser per line cost more than parsing the line. Each object must start and
   * end on its line; after a line that is not a request, the next line gets a fresh parser. Not
   * thread-safe.
   */
  static final class Lines implements AutoCloseable {
    private final byte[] data;
    private final int end;
    private final Strings strings;
    // The long values of the line being read, to clip where a message repeats them.
    private final List<String> seen = new ArrayList<>(4);
    private @Nullable JsonParser parser;
    private int base; // where the parser's input starts in data
    private int last; // where the last line parsed ended

    /**
     * Parses lines of {@code data}, which holds lines up to {@code end}, taking repeated values
     * from {@code strings}.
     */
    Lines(byte[] data, int end, Strings strings) {
      this.data = data;
      this.end = end;
      this.strings = strings;
    }

    /**
     * Parses the line of {@code length} bytes at {@code start}; lines must be asked for in order.
     *
     * @throws BadLineException if the line is not one JSON request object of the documented form
     */
    AccessRequest parse(int start, int length) throws BadLineException {
      int lineEnd = start + length;
      if (parser != null && !blank(last, start)) {
        // Something lies between the last line and this one (a line too long to read): start
        // afresh here.
        reset();
      }
      last = lineEnd;
      try {
        JsonParser p = parser;
        if (p == null) {
          p = JSON.createParser(data, start, end - start);
          parser = p;
          base = start;
        }
        AccessRequest request = read(p, lineEnd);
        int after = base + (int) p.currentLocation().getByteOffset();
        if (after > lineEnd) {
          throw new BadLineException("not a JSON object: the object does not end on its line");
        }
        for (int i = after; i < lineEnd; i++) {
          byte b = data[i];
          if (b != ' ' && b != '\t' && b != '\r') {
            throw new BadLineException("text after the JSON object");
          }
        }
        return request;
      } catch (BadLineException e) {
        reset();
        throw e;
      } catch (JsonProcessingException e) {
        reset();
        throw new BadLineException(alone(start, length, e));
      } catch (IOException e) {
        // A byte array cannot fail to read; Jackson declares it anyway.
        reset();
        throw new BadLineException("not a JSON object: " + clipEchoes(e.getMessage()));
      } catch (RuntimeException e) {
        reset();
        throw e;
      }
    }

    /**
     * Returns the message for a line the tokenizer rejected as the line alone gives it. A parser
     * that runs on over several lines can fail past a line's end, on the next line's text or at the
     * end of the batch, which depends on how the input arrived: the message must depend on the line
     * only.
     */
    private String alone(int start, int length, JsonProcessingException e) {
      if (end == start + length) {
        return message(e); // the parser could not read past this line
      }
      try (Lines line = new Lines(data, start + length, strings)) {
        line.parse(start, length);
      } catch (BadLineException alone) {
        return String.valueOf(alone.getMessage());
      }
      return message(e);
    }

    private static String message(JsonProcessingException e) {
      if (e instanceof JsonEOFException) {
        // Jackson's text for this names its input source and options, nothing a user can act on.
        return "not a JSON object: the object does not end on its line";
      }
      return "not a JSON object: " + clipEchoes(e.getOriginalMessage());
    }

    private AccessRequest read(JsonParser p, int lineEnd) throws IOException, BadLineException {
      AccessRequest.Builder b = AccessRequest.builder();
      List<String> seen = this.seen;
      seen.clear();
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT
          || base + p.currentTokenLocation().getByteOffset() >= lineEnd) {
        throw new BadLineException("not a JSON object: expected {\"principal\": …, \"action\": …}");
      }
      try {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken t = p.nextToken();
          switch (field) {
            case "principal" -> b.principal(remember(text(p, t, field, strings), seen));
            case "action" -> b.action(remember(text(p, t, field, strings), seen));
            case "resource" -> b.resource(remember(text(p, t, field, strings), seen));
            case "rolePath" -> b.rolePath(remember(text(p, t, field, strings), seen));
            case "permissionsBoundary" -> {
              if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                throw new BadLineException("permissionsBoundary must be true or false");
              }
              b.permissionsBoundary(t == JsonToken.VALUE_TRUE);
            }
            case "context" -> context(p, t, b, seen, strings);
            default ->
                throw new BadLineException(
                    "unknown field ["
                        + clip(field)
                        + "]; expected principal, action, resource, context, permissionsBoundary,"
                        + " rolePath");
          }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
          throw new BadLineException("not a JSON object: the object does not end on its line");
        }
        return b.build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        // The request model's own message, naming the value in brackets; long values are clipped.
        throw new BadLineException(clipEchoes(clipValues(String.valueOf(e.getMessage()), seen)));
      }
    }

    private boolean blank(int from, int to) {
      for (int i = from; i < to; i++) {
        byte b = data[i];
        if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
          return false;
        }
      }
      return true;
    }

    private void reset() {
      JsonParser p = parser;
      parser = null;
      if (p != null) {
        try {
          p.close();
        } catch (IOException e) {
          // closing a parser over a byte array: nothing to release
        }
      }
    }

    @Override
    public void close() {
      reset();
    }
  }

  private static String remember(String value, List<String> seen) {
    if (value.length() > ECHO_CHARS) {
      seen.add(value);
    }
    return value;
  }

  private static void context(
      JsonParser p, JsonToken t, AccessRequest.Builder b, List<String> seen, Strings strings)
      throws IOException, BadLineException {
    if (t != JsonToken.START_OBJECT) {
      throw new BadLineException("context must be an object of keys to values");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = remember(p.currentName(), seen);
      JsonToken v = p.nextToken();
      if (v == JsonToken.START_ARRAY) {
        List<String> values = new ArrayList<>();
        JsonToken item;
        while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
          values.add(scalar(p, item, key, strings));
        }
        b.putContext(key, values);
      } else {
        b.putContext(key, one(p, v, key, strings));
      }
    }
  }

  private static String scalar(JsonParser p, JsonToken t, String key, Strings strings)
      throws IOException, BadLineException {
    if (t == JsonToken.VALUE_STRING) {
      return strings.of(p);
    }
    if (t == JsonToken.VALUE_NUMBER_INT
        || t == JsonToken.VALUE_NUMBER_FLOAT
        || t == JsonToken.VALUE_TRUE
        || t == JsonToken.VALUE_FALSE) {
      return p.getText();
    }
    throw new BadLineException(
        "context key [" + clip(key) + "] must hold a string, number, boolean or an array of them");
  }

  // A single context value as a one-element list: a repeated string's list is reused too.
  private static List<String> one(JsonParser p, JsonToken t, String key, Strings strings)
      throws IOException, BadLineException {
    if (t == JsonToken.VALUE_STRING) {
      return strings.listOf(p);
    }
    return List.of(scalar(p, t, key, strings));
  }

  private static String text(JsonParser p, JsonToken t, String field, Strings strings)
      throws IOException, BadLineException {
    if (t != JsonToken.VALUE_STRING) {
      throw new BadLineException(field + " must be a string");
    }
    return strings.of(p);
  }

  /**
   * The string values read lately, so that a value repeated from line to line (a principal, an
   * action, a service name) is one String rather than a new one per line: a small table indexed by
   * the characters' hash, each slot holding the last string seen there. Not thread-safe: one per
   * worker.
   */
  static final class Strings {
    private static final int SLOTS = 4096; // a power of two
    private static final int MAX_LENGTH = 256; // longer values are not kept

    private final @Nullable String[] table = new String[SLOTS];
    // Each slot's string as a one-element list, made when first asked for.
    private final @Nullable List<?>[] lists = new List<?>[SLOTS];
    // Each slot's string as characters, compared with the token's without a call per character.
    private final char[][] chars = new char[SLOTS][];

    /** Returns the text of {@code p}'s current string token. */
    String of(JsonParser p) throws IOException {
      int slot = slot(p);
      return slot < 0 ? p.getText() : table(slot);
    }

    /** Returns the text of {@code p}'s current string token as a one-element list. */
    List<String> listOf(JsonParser p) throws IOException {
      int slot = slot(p);
      if (slot < 0) {
        return List.of(p.getText());
      }
      // A slot's list is dropped whenever its string is replaced: a list there is of its string.
      if (lists[slot] != null) {
        return listAt(slot);
      }
      List<String> one = List.of(table(slot));
      lists[slot] = one;
      return one;
    }

    // The only lists stored are List<String> (an array of a generic type cannot be created).
    @SuppressWarnings("unchecked")
    private List<String> listAt(int slot) {
      return (List<String>) lists[slot];
    }

    private String table(int slot) {
      return Objects.requireNonNull(table[slot]);
    }

    // Puts the token's text in its slot (unless it is there already) and returns the slot; -1 for
    // a value too long to keep.
    private int slot(JsonParser p) throws IOException {
      int len = p.getTextLength();
      if (len > MAX_LENGTH) {
        return -1;
      }
      char[] text = p.getTextCharacters();
      int off = p.getTextOffset();
      int h = len;
      for (int i = off; i < off + len; i++) {
        h = 31 * h + text[i];
      }
      int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
      String s = table[slot];
      char[] c = chars[slot];
      if (s != null && c != null && Arrays.equals(c, 0, c.length, text, off, off + len)) {
        return slot;
      }
      table[slot] = new String(text, off, len);
      chars[slot] = Arrays.copyOfRange(text, off, off + len);
      lists[slot] = null;
      return slot;
    }
  }

  /** Returns {@code value}, or its first {@value #ECHO_CHARS} characters and its length. */
  static String clip(String value) {
    if (value.length() <= ECHO_CHARS) {
      return value;
    }
    return value.substring(0, ECHO_CHARS) + "… (" + value.length() + " characters)";
  }

  // Replaces each long input value the message repeats by its clipped form.
  private static String clipValues(String message, List<String> values) {
    String m = message;
    for (String v : values) {
      if (m.contains(v)) {
        m = m.replace(v, clip(v));
      }
    }
    return m;
  }

  /**
   * Returns {@code message} with each quoted or bracketed part ({@code '…'}, {@code […]}) longer
   * than {@value #ECHO_CHARS} characters clipped: messages quote the offending input that way
   * (Jackson quotes a bad token, kms-posture brackets a bad value), and an input can be as long as
   * its line.
   */
  static String clipEchoes(@Nullable String message) {
    if (message == null) {
      return "malformed JSON";
    }
    StringBuilder sb = new StringBuilder(Math.min(message.length(), 1024));
    int i = 0;
    while (i < message.length()) {
      char c = message.charAt(i);
      int close =
          c == '\'' ? message.indexOf('\'', i + 1) : c == '[' ? message.indexOf(']', i + 1) : -1;
      if (close > i) {
        sb.append(c).append(clip(message.substring(i + 1, close))).append(message.charAt(close));
        i = close + 1;
      } else {
        sb.append(c);
        i++;
      }
    }
    // Unbalanced quotes could leave a long echo: no message of ours is longer than this.
    int max = 6 * ECHO_CHARS;
    return sb.length() <= max ? sb.toString() : sb.substring(0, max) + "…";
  }
}
