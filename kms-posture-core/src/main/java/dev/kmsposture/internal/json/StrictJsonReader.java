package dev.kmsposture.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON document strictly: duplicate keys are errors (with the pointer of the duplicate),
 * trailing content is an error, numbers keep their text. Every error carries a JSON Pointer.
 */
public final class StrictJsonReader {
  private static final int MAX_DEPTH = 64;

  /**
   * Jackson's own limit sits above {@link #MAX_DEPTH}, so that our check (which knows the JSON
   * Pointer) reports a too-deep document first.
   */
  private static final int JACKSON_MAX_DEPTH = MAX_DEPTH + 16;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(JACKSON_MAX_DEPTH).build())
          .build();

  private StrictJsonReader() {}

  /**
   * Reads {@code text} as one JSON value.
   *
   * @throws JsonSyntaxException if the text is not one well-formed JSON value with unique keys
   */
  public static JsonValue read(String text) throws JsonSyntaxException {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new JsonSyntaxException("", "the document is empty; expected a JSON object", null);
      }
      JsonValue v = readValue(p, t, 0);
      JsonToken trailing;
      try {
        trailing = p.nextToken();
      } catch (JsonProcessingException e) {
        throw new JsonSyntaxException(
            "", "unexpected content after the end of the document (" + where(e) + ")", e);
      }
      if (trailing != null) {
        throw new JsonSyntaxException(
            "",
            "unexpected content after the end of the document at "
                + location(p.currentTokenLocation()),
            null);
      }
      return v;
    } catch (JsonProcessingException e) {
      throw new JsonSyntaxException(
          pointerOf(e), "malformed JSON: " + originalMessage(e) + " (" + where(e) + ")", e);
    } catch (IOException e) {
      throw new JsonSyntaxException("", "could not read the document: " + e.getMessage(), e);
    }
  }

  // Pointers are computed from the parser's context only when there is an error: building them
  // for every value would cost more than the parse itself.
  private static JsonValue readValue(JsonParser p, JsonToken t, int depth)
      throws IOException, JsonSyntaxException {
    if (depth > MAX_DEPTH) {
      throw new JsonSyntaxException(
          valuePointer(p, t), "the document nests deeper than " + MAX_DEPTH + " levels", null);
    }
    switch (t) {
      case START_OBJECT -> {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        JsonToken k;
        while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          if (members.containsKey(name)) {
            throw new JsonSyntaxException(
                p.getParsingContext().pathAsPointer().toString(),
                "duplicate key \""
                    + name
                    + "\" at "
                    + location(p.currentTokenLocation())
                    + "; each key may appear once in an object (JSON readers disagree on which"
                    + " copy wins)",
                null);
          }
          members.put(name, readValue(p, p.nextToken(), depth + 1));
        }
        return new JsonValue.JsonObject(members);
      }
      case START_ARRAY -> {
        List<JsonValue> items = new ArrayList<>();
        JsonToken i;
        while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
          items.add(readValue(p, i, depth + 1));
        }
        return new JsonValue.JsonArray(items);
      }
      case VALUE_STRING -> {
        return new JsonValue.JsonString(p.getText());
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new JsonValue.JsonNumber(p.getText());
      }
      case VALUE_TRUE -> {
        return new JsonValue.JsonBoolean(true);
      }
      case VALUE_FALSE -> {
        return new JsonValue.JsonBoolean(false);
      }
      case VALUE_NULL -> {
        return new JsonValue.JsonNull();
      }
      default -> throw new JsonSyntaxException(valuePointer(p, t), "unexpected token " + t, null);
    }
  }

  /** The pointer of the value whose first token is {@code t}. */
  private static String valuePointer(JsonParser p, JsonToken t) {
    JsonStreamContext context = p.getParsingContext();
    // On a container's start token the context is already the new container's.
    if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)
        && context.getParent() != null) {
      context = context.getParent();
    }
    return context.pathAsPointer().toString();
  }

  private static String pointerOf(JsonProcessingException e) {
    Object proc = e.getProcessor();
    if (proc instanceof JsonParser jsonParser) {
      return jsonParser.getParsingContext().pathAsPointer().toString();
    }
    return "";
  }

  /**
   * Jackson's message, without the source description it adds to nested locations ("[Source:
   * REDACTED (…) ; line: 1, column: 15]" becomes "[line: 1, column: 15]").
   */
  private static String originalMessage(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    int i = m.indexOf("[Source: ");
    if (i < 0) {
      return m;
    }
    int j = m.indexOf("; line:", i);
    return j < 0 ? m : m.substring(0, i + 1) + m.substring(j + 2);
  }

  private static String where(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    return loc == null ? "location unknown" : location(loc);
  }

  private static String location(JsonLocation loc) {
    return "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }
}
