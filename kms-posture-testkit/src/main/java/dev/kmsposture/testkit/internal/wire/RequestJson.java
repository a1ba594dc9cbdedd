package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads a JSON 1.1 request body into the object the services read, from Jackson's streaming parser:
 * the members of the request (strings, int and long numbers, booleans, nulls, and the objects and
 * arrays of them that KMS requests carry) go straight into nodes, without the data-binding
 * machinery of {@code ObjectReader.readTree} (a deserialization context, a deserializer look-up and
 * a node-building stack per request), which cost more than the parsing on the in-process path.
 *
 * <p>A plain body (what the SDKs send: printable ASCII strings without escapes, int and long
 * numbers) is read without a parser at all, straight from its bytes into nodes; anything else goes
 * to the parser.
 *
 * <p>The result is what {@code readTree} gives for the same bytes, and so are the errors: a body
 * that is not one JSON object (malformed, empty, an array, a string, …) is AWS's {@code
 * SerializationException}. A body with a floating-point or big-integer number, or nested deeper
 * than KMS requests go, is handed to {@code readTree} whole, so its particular rules for those stay
 * in one place. Trailing text after the object is ignored, as {@code readTree} ignores it.
 */
public final class RequestJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectReader READER = JSON.reader();
  // the mapper's own factory: the same parser features and read constraints as readTree
  private static final JsonFactory FACTORY = JSON.getFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 32;
  // member names repeat from request to request: one shared string each, its hash computed once
  // (the parser interns them; the plain reader shares them through this table)
  private static final RepeatedText NAMES = new RepeatedText();
  // so do the values of an encryption context (a bucket's ARN, a purpose, a tenant): the plain
  // reader shares them too, and so their hashes, which the engine's context table computes (an
  // encryption context is no secret: CloudTrail records it; nothing else is shared this way)
  private static final RepeatedText CONTEXT_VALUES = new RepeatedText();

  private RequestJson() {}

  /**
   * The JSON object of {@code body}; an empty object for an empty body.
   *
   * @throws AwsServiceError {@code SerializationException} if the body is not one JSON object
   */
  public static ObjectNode parseObject(byte[] body) {
    if (body.length == 0) {
      return NODES.objectNode();
    }
    ObjectNode plain = plainOrNull(body);
    if (plain != null) {
      return plain;
    }
    try {
      ObjectNode parsed = stream(body);
      if (parsed != null) {
        return parsed;
      }
      // a member the stream leaves to the tree reader: read the whole body that way
      JsonNode node = READER.readTree(body);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // fall through to the AWS error below
    }
    throw notAnObject();
  }

  /**
   * The reader of plain bodies — what the SDKs send: one object of objects, arrays, strings of
   * printable ASCII without escapes, int and long numbers, booleans and nulls, with JSON's white
   * space around them, and nothing after the object. It builds the nodes straight from the bytes,
   * without a parser's set-up per request. For anything else (an escape, a byte outside ASCII, a
   * fraction or exponent, a big or negative-zero number, deep nesting, text after the object, any
   * error) it answers null, and the body is read by the streaming parser, as before: so whatever it
   * reads, it reads as the parser does (same nodes, same order, a repeated name's last value in the
   * first one's place).
   */
  private static final class Plain {
    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private final byte[] in;
    private int at;

    private Plain(byte[] in) {
      this.in = in;
    }

    static @Nullable ObjectNode read(byte[] body) {
      Plain r = new Plain(body);
      r.space();
      if (r.at >= body.length || body[r.at] != '{') {
        return null;
      }
      r.at++;
      ObjectNode object = r.object(1, null);
      if (object == null) {
        return null;
      }
      r.space();
      return r.at == body.length ? object : null;
    }

    private void space() {
      while (at < in.length) {
        byte c = in[at];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          return;
        }
        at++;
      }
    }

    /**
     * After its opening brace; its string values shared through {@code values}, when given (an
     * encryption context's).
     */
    private @Nullable ObjectNode object(int depth, @Nullable RepeatedText values) {
      ObjectNode object = NODES.objectNode();
      space();
      if (at < in.length && in[at] == '}') {
        at++;
        return object;
      }
      while (true) {
        space();
        String name = at < in.length && in[at] == '"' ? string(NAMES) : null;
        if (name == null) {
          return null;
        }
        space();
        if (at >= in.length || in[at] != ':') {
          return null;
        }
        at++;
        space();
        JsonNode value = value(depth, values, isContext(name) ? CONTEXT_VALUES : null);
        if (value == null) {
          return null;
        }
        // a repeated name: the last value, in the first one's place (as the parser's path keeps it)
        object.set(name, value);
        space();
        if (at >= in.length) {
          return null;
        }
        byte next = in[at++];
        if (next == '}') {
          return object;
        }
        if (next != ',') {
          return null;
        }
      }
    }

    /** After its opening bracket. */
    private @Nullable ArrayNode array(int depth) {
      ArrayNode array = NODES.arrayNode();
      space();
      if (at < in.length && in[at] == ']') {
        at++;
        return array;
      }
      while (true) {
        space();
        JsonNode value = value(depth, null, null);
        if (value == null) {
          return null;
        }
        array.add(value);
        space();
        if (at >= in.length) {
          return null;
        }
        byte next = in[at++];
        if (next == ']') {
          return array;
        }
        if (next != ',') {
          return null;
        }
      }
    }

    /**
     * A value: a string shared through {@code strings} when given, an object's string values
     * through {@code members} when given.
     */
    private @Nullable JsonNode value(
        int depth, @Nullable RepeatedText strings, @Nullable RepeatedText members) {
      if (at >= in.length) {
        return null;
      }
      byte c = in[at];
      if (c == '"') {
        String text = string(strings);
        return text == null ? null : NODES.textNode(text);
      }
      if (c == '{' || c == '[') {
        if (depth >= MAX_DEPTH) {
          return null;
        }
        at++;
        return c == '{' ? object(depth + 1, members) : array(depth + 1);
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        return number();
      }
      if (literal("true")) {
        return NODES.booleanNode(true);
      }
      if (literal("false")) {
        return NODES.booleanNode(false);
      }
      if (literal("null")) {
        return NODES.nullNode();
      }
      return null;
    }

    /**
     * Whether member {@code name} holds an encryption context ({@code EncryptionContext}, {@code
     * SourceEncryptionContext}, {@code DestinationEncryptionContext}).
     */
    private static boolean isContext(String name) {
      return name.endsWith("EncryptionContext");
    }

    private boolean literal(String word) {
      int n = word.length();
      if (at + n > in.length) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (in[at + i] != word.charAt(i)) {
          return false;
        }
      }
      at += n;
      return true;
    }

    /**
     * At its opening quote: the text (shared through {@code shared}, when given), or null if it has
     * an escape or a byte outside ASCII.
     */
    private @Nullable String string(@Nullable RepeatedText shared) {
      int start = ++at;
      // sixteen bytes, then eight, at a time while none of them ends the plain run (a ciphertext
      // blob is hundreds of bytes); the loop below finds which byte does
      while (at + 16 <= in.length
          && !endsRun((long) LONGS.get(in, at), (long) LONGS.get(in, at + 8))) {
        at += 16;
      }
      while (at + 8 <= in.length && !endsRun((long) LONGS.get(in, at))) {
        at += 8;
      }
      while (at < in.length) {
        byte c = in[at];
        if (c == '"') {
          // printable ASCII and DEL only: ISO-8859-1 reads them as UTF-8 does, without decoding
          int length = at - start;
          String text =
              shared != null
                  ? shared.latin1(in, start, length)
                  : new String(in, start, length, StandardCharsets.ISO_8859_1);
          at++;
          return text;
        }
        if (c < 0x20 || c == '\\') {
          return null; // control characters, escapes and bytes >= 0x80 (negative)
        }
        at++;
      }
      return null;
    }

    /**
     * Whether one of the eight bytes of {@code x} is a quote, a backslash, a control character
     * (below 0x20) or outside ASCII (0x80 and up): the bytes a plain string's run stops at.
     */
    private static boolean endsRun(long x) {
      return (stops(x) & HIGHS) != 0;
    }

    /** Whether one of the sixteen bytes of {@code x} and {@code y} ends the plain run. */
    private static boolean endsRun(long x, long y) {
      return ((stops(x) | stops(y)) & HIGHS) != 0;
    }

    /**
     * A word with a high bit set ({@code & HIGHS} non-zero) exactly when one of the eight bytes of
     * {@code x} ends the plain run; which bit says nothing (borrows run upwards).
     */
    private static long stops(long x) {
      long quotes = x ^ (ONES * '"');
      long backslashes = x ^ (ONES * '\\');
      // (v - ONES * n) & ~v & HIGHS is non-zero exactly when some byte of v is below n (n <= 128)
      // or, for n = 1, is zero; bytes of 0x80 and up are caught by x & HIGHS
      long below = (x - ONES * 0x20) & ~x;
      long quote = (quotes - ONES) & ~quotes;
      long backslash = (backslashes - ONES) & ~backslashes;
      return x | below | quote | backslash;
    }

    /** An int or long with at most 18 digits, no leading zero, not -0, no fraction or exponent. */
    private @Nullable JsonNode number() {
      boolean negative = in[at] == '-';
      if (negative) {
        at++;
      }
      int start = at;
      long value = 0;
      while (at < in.length && in[at] >= '0' && in[at] <= '9') {
        value = value * 10 + (in[at] - '0');
        at++;
        if (at - start > 18) {
          return null;
        }
      }
      int digits = at - start;
      if (digits == 0 || (digits > 1 && in[start] == '0') || (negative && value == 0)) {
        return null;
      }
      if (at < in.length && (in[at] == '.' || in[at] == 'e' || in[at] == 'E')) {
        return null;
      }
      long signed = negative ? -value : value;
      return signed == (int) signed ? NODES.numberNode((int) signed) : NODES.numberNode(signed);
    }
  }

  /** The object of a plain body (see {@link Plain}), or null when the parser must read it. */
  static @Nullable ObjectNode plainOrNull(byte[] body) {
    return Plain.read(body);
  }

  /** The error AWS answers for a body that is not a JSON object. */
  static AwsServiceError notAnObject() {
    return AwsServiceError.client(
        "SerializationException", "Start of structure or map found where not expected.");
  }

  /** The object, or null when some member needs the tree reader. */
  private static @Nullable ObjectNode stream(byte[] body) throws IOException {
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        // empty (only white space), malformed, or another kind of value: readTree gives no object
        throw notAnObject();
      }
      return object(p, 1);
    }
  }

  private static @Nullable ObjectNode object(JsonParser p, int depth) throws IOException {
    ObjectNode object = NODES.objectNode();
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      JsonNode value = value(p, p.nextToken(), depth);
      if (value == null) {
        return null;
      }
      // a repeated name: the last value, in the first one's place (as readTree keeps it)
      object.set(name, value);
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      return null;
    }
    return object;
  }

  private static @Nullable ArrayNode array(JsonParser p, int depth) throws IOException {
    ArrayNode array = NODES.arrayNode();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      JsonNode value = value(p, t, depth);
      if (value == null) {
        return null;
      }
      array.add(value);
    }
    return array;
  }

  private static @Nullable JsonNode value(JsonParser p, @Nullable JsonToken token, int depth)
      throws IOException {
    if (token == null) {
      return null; // end of input inside a structure: the tree reader reports it
    }
    return switch (token) {
      case VALUE_STRING -> NODES.textNode(p.getText());
      case VALUE_NUMBER_INT ->
          switch (p.getNumberType()) {
            case INT -> NODES.numberNode(p.getIntValue());
            case LONG -> NODES.numberNode(p.getLongValue());
            default -> null;
          };
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      case START_OBJECT -> depth >= MAX_DEPTH ? null : object(p, depth + 1);
      case START_ARRAY -> depth >= MAX_DEPTH ? null : array(p, depth + 1);
      default -> null; // floating-point numbers, embedded objects
    };
  }
}
