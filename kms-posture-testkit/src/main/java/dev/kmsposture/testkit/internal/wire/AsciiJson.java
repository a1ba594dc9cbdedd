package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes compact JSON text straight into a byte buffer, for the common case where no escaping is
 * needed: every member name and string is printable ASCII (0x20–0x7E) without {@code "} or {@code
 * \}, and every value is an object, an array, a string, an int or long number, a {@code BigDecimal}
 * number, a boolean or null. Such text is what Jackson's generators write for the same tree, byte
 * for byte (in UTF-8 and as characters alike); for anything else a write answers {@code false} and
 * the caller writes with Jackson instead.
 *
 * <p>This runs for every response and every journal entry of the embedded KMS, where Jackson's
 * generator and serializer set-up cost more than the writing itself. One writer per thread is
 * reused; its buffer is dropped after a large text, so that memory stays flat.
 *
 * <pre>{@code
 * AsciiJson out = AsciiJson.begin();
 * byte[] body = out.value(tree) ? out.toBytes() : jacksonWriter.writeValueAsBytes(tree);
 * }</pre>
 */
public final class AsciiJson {
  private static final int INITIAL = 512;
  private static final int KEEP = 16 * 1024;
  // deeper trees are written by Jackson (the container bits below hold 63 levels)
  private static final int MAX_DEPTH = 62;
  private static final ThreadLocal<AsciiJson> WRITERS = ThreadLocal.withInitial(AsciiJson::new);
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private byte[] buffer = new byte[INITIAL];
  private char[] chars = new char[INITIAL];
  private int length;
  private int depth;
  // bit d: the container at depth d is an array / has no element yet
  private long arrays;
  private long empty;

  private AsciiJson() {}

  /** Returns this thread's writer, emptied. Finish with one of the {@code to…} methods first. */
  public static AsciiJson begin() {
    AsciiJson writer = WRITERS.get();
    writer.length = 0;
    writer.depth = 0;
    writer.arrays = 0;
    writer.empty = 0;
    return writer;
  }

  /** The text written, as UTF-8 bytes; then forgets it. */
  public byte[] toBytes() {
    byte[] out = Arrays.copyOf(buffer, length);
    discard();
    return out;
  }

  /** The text written, as a string; then forgets it. */
  public String toText() {
    // ASCII only: ISO-8859-1 makes a compact string without decoding
    String out = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
    discard();
    return out;
  }

  /**
   * The text written, as a string equal to {@link #toText()}'s, shared through {@code repeats} when
   * the same text was written before; then forgets it.
   */
  public String toText(RepeatedText repeats) {
    String out = repeats.latin1(buffer, length);
    discard();
    return out;
  }

  /** Forgets the text written (after a write that answered {@code false}). */
  public void discard() {
    length = 0;
    if (buffer.length > KEEP) {
      buffer = new byte[INITIAL];
    }
    if (chars.length > KEEP) {
      chars = new char[INITIAL];
    }
  }

  // ---- structure ----

  /** Opens an object (as a value: at the root, after a name, or as an array element). */
  public boolean startObject() {
    return open(false, '{');
  }

  /** Closes the object opened last. */
  public void endObject() {
    close('}');
  }

  /** Opens an array (as a value). */
  public boolean startArray() {
    return open(true, '[');
  }

  /** Closes the array opened last. */
  public void endArray() {
    close(']');
  }

  private boolean open(boolean array, char bracket) {
    if (depth >= MAX_DEPTH) {
      return false;
    }
    beforeValue();
    depth++;
    long bit = 1L << depth;
    arrays = array ? arrays | bit : arrays & ~bit;
    empty |= bit;
    put((byte) bracket);
    return true;
  }

  private void close(char bracket) {
    depth--;
    put((byte) bracket);
  }

  /** Writes a member name in the object opened last; false if it needs escaping. */
  public boolean name(String name) {
    long bit = 1L << depth;
    if ((empty & bit) == 0) {
      put((byte) ',');
    }
    empty &= ~bit;
    if (!quoted(name)) {
      return false;
    }
    put((byte) ':');
    return true;
  }

  private void beforeValue() {
    long bit = 1L << depth;
    if (depth > 0 && (arrays & bit) != 0) {
      if ((empty & bit) == 0) {
        put((byte) ',');
      }
      empty &= ~bit;
    }
  }

  // ---- values ----

  /** Writes a string value; false if it needs escaping. */
  public boolean string(String text) {
    beforeValue();
    return quoted(text);
  }

  /**
   * Writes {@code node} and everything in it; false if some part is not plain (a string that needs
   * escaping, a floating-point or big-integer number, binary data, a POJO, or too deep a tree).
   */
  public boolean value(JsonNode node) {
    if (node instanceof TextNode text) {
      return string(text.textValue());
    }
    if (node instanceof ObjectNode object) {
      if (!startObject()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        if (!name(e.getKey()) || !value(e.getValue())) {
          return false;
        }
      }
      endObject();
      return true;
    }
    if (node instanceof ArrayNode array) {
      if (!startArray()) {
        return false;
      }
      for (JsonNode item : array) {
        if (!value(item)) {
          return false;
        }
      }
      endArray();
      return true;
    }
    if (node instanceof IntNode || node instanceof LongNode) {
      beforeValue();
      ascii(Long.toString(node.longValue()));
      return true;
    }
    if (node instanceof DecimalNode) {
      // Jackson writes BigDecimal.toString() (WRITE_BIGDECIMAL_AS_PLAIN is off by default)
      beforeValue();
      ascii(node.decimalValue().toString());
      return true;
    }
    if (node instanceof BooleanNode) {
      beforeValue();
      put(node.booleanValue() ? TRUE : FALSE);
      return true;
    }
    if (node instanceof NullNode) {
      beforeValue();
      put(NULL);
      return true;
    }
    return false;
  }

  // ---- bytes ----

  private boolean quoted(String text) {
    int n = text.length();
    ensure(n + 2);
    if (chars.length < n) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    char[] in = chars;
    // the characters in one bulk copy, then one pass without a branch per character: every one is
    // written, and whether any needs escaping is known at the end (the write is then abandoned)
    text.getChars(0, n, in, 0);
    byte[] out = buffer;
    int at = length;
    out[at++] = '"';
    int bad = 0;
    for (int i = 0; i < n; i++) {
      int c = in[i];
      // negative exactly when c < 0x20, c > 0x7e, c == '"' or c == '\\'
      bad |= (c - 0x20) | (0x7e - c) | ((c ^ '"') - 1) | ((c ^ '\\') - 1);
      out[at + i] = (byte) c;
    }
    if (bad < 0) {
      return false;
    }
    at += n;
    out[at++] = '"';
    length = at;
    return true;
  }

  /** Writes text known to be plain ASCII (digits, signs, a point, an exponent). */
  private void ascii(String text) {
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buffer[length++] = (byte) text.charAt(i);
    }
  }

  private void put(byte b) {
    ensure(1);
    buffer[length++] = b;
  }

  private void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }

  /**
   * Writes {@code node} as compact JSON bytes when it is plain (see the class comment); null when
   * the caller must write it with Jackson.
   */
  public static byte @Nullable [] bytesOrNull(JsonNode node) {
    AsciiJson out = begin();
    if (out.value(node)) {
      return out.toBytes();
    }
    out.discard();
    return null;
  }
}
