package dev.kmsposture.internal.json;

import java.util.List;
import java.util.Map;

/**
 * A JSON value read by {@link StrictJsonReader}: objects keep key order and numbers keep their
 * text, so that nothing the document wrote is lost.
 */
public sealed interface JsonValue
    permits JsonValue.JsonObject,
        JsonValue.JsonArray,
        JsonValue.JsonString,
        JsonValue.JsonNumber,
        JsonValue.JsonBoolean,
        JsonValue.JsonNull {

  /** A short name of the JSON type, for error messages ("an object", "a string", …). */
  String describe();

  /**
   * A JSON object; {@code members} keeps document order and has no duplicate keys.
   *
   * @param members the members in document order
   */
  record JsonObject(Map<String, JsonValue> members) implements JsonValue {
    @Override
    public String describe() {
      return "an object";
    }
  }

  /**
   * A JSON array.
   *
   * @param items the items in order
   */
  record JsonArray(List<JsonValue> items) implements JsonValue {
    @Override
    public String describe() {
      return "an array";
    }
  }

  /**
   * A JSON string.
   *
   * @param value the decoded text
   */
  record JsonString(String value) implements JsonValue {
    @Override
    public String describe() {
      return "a string";
    }
  }

  /**
   * A JSON number, kept as written.
   *
   * @param text the number's text
   */
  record JsonNumber(String text) implements JsonValue {
    @Override
    public String describe() {
      return "a number";
    }
  }

  /**
   * A JSON boolean.
   *
   * @param value the value
   */
  record JsonBoolean(boolean value) implements JsonValue {
    @Override
    public String describe() {
      return "a boolean";
    }
  }

  /** JSON {@code null}. */
  record JsonNull() implements JsonValue {
    @Override
    public String describe() {
      return "null";
    }
  }
}
