package dev.kmsposture.internal.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.time.format.DateTimeParseException;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns Jackson's exceptions into what a user of a document can act on: what was expected, what was
 * found, and for malformed JSON or YAML the line and column. Jackson's own messages name Java types
 * ({@code `java.lang.Long`}), tokens ({@code JsonToken.START_ARRAY}), features ({@code
 * FAIL_ON_NULL_FOR_PRIMITIVES}) and echo the input ({@code [Source: …]}); none of that reaches a
 * user.
 */
public final class JacksonProblems {
  private static final int MAX_VALUE_CHARS = 60;

  private JacksonProblems() {}

  /**
   * Returns the problem {@code e} describes, as a lower-case fragment without the location of a
   * mapping problem (the caller names the field, usually as a JSON Pointer).
   *
   * @param e what Jackson threw
   * @return what was wrong and what is accepted, on one line
   */
  public static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      Collection<Object> known = u.getKnownPropertyIds();
      return String.format(
          "unknown field [%s]%s",
          clip(u.getPropertyName()),
          known == null || known.isEmpty()
              ? ""
              : "; known fields: " + new TreeSet<>(known.stream().map(String::valueOf).toList()));
    }
    DateTimeParseException time = cause(e, DateTimeParseException.class);
    if (time != null) {
      return String.format(
          "[%s] is not a date-time; expected ISO 8601 in UTC, such as 2026-01-31T12:00:00Z",
          clip(time.getParsedString()));
    }
    if (e instanceof InvalidFormatException f) {
      return String.format(
          "expected %s, got [%s]", expected(f.getTargetType()), clip(String.valueOf(f.getValue())));
    }
    if (e instanceof MismatchedInputException m) {
      String original = String.valueOf(m.getOriginalMessage());
      String got =
          original.startsWith("Cannot map `null`") ? "null" : found(m.getProcessor(), original);
      if (original.startsWith("No content to map")) {
        return "the document is empty";
      }
      return m.getTargetType() == null
          ? "the value has the wrong type" + (got.isEmpty() ? "" : ", got " + got)
          : "expected " + expected(m.getTargetType()) + (got.isEmpty() ? "" : ", got " + got);
    }
    if (e instanceof JsonMappingException) {
      return firstLine(e.getOriginalMessage());
    }
    return syntax(e);
  }

  /**
   * Returns a malformed-document message with its line and column: {@code malformed JSON at line 3,
   * column 7: …} (or YAML, as {@code format} says).
   */
  public static String syntax(JsonProcessingException e) {
    return syntax(e, "JSON");
  }

  /** Returns {@link #syntax(JsonProcessingException)} naming the document's {@code format}. */
  public static String syntax(JsonProcessingException e, String format) {
    JsonLocation at = e.getLocation();
    String where =
        at == null || at.getLineNr() < 1
            ? ""
            : " at line "
                + at.getLineNr()
                + (at.getColumnNr() < 1 ? "" : ", column " + at.getColumnNr());
    return "malformed " + format + where + ": " + firstLine(e.getOriginalMessage());
  }

  private static String expected(@Nullable Class<?> type) {
    if (type == null) {
      return "another value";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class
        || type == short.class
        || type == Short.class) {
      return "a whole number";
    }
    if (type == double.class
        || type == Double.class
        || type == float.class
        || type == Float.class) {
      return "a number";
    }
    if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (Temporal.class.isAssignableFrom(type)) {
      return "an ISO 8601 date-time in UTC, such as 2026-01-31T12:00:00Z";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.isPrimitive()) {
      return "an object";
    }
    return "another value";
  }

  private static String found(@Nullable Object processor, String original) {
    if (processor instanceof JsonParser p) {
      JsonToken t = p.currentToken();
      if (t != null) {
        try {
          return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "the string [" + clip(p.getText()) + "]";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + clip(p.getText());
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> "";
          };
        } catch (IOException e) {
          return "";
        }
      }
    }
    // Jackson says "from Array value", "from String value", …: keep only the JSON kind.
    int from = original.indexOf(" from ");
    if (from > 0) {
      String rest = original.substring(from + 6);
      for (String kind :
          new String[] {"Array", "Object", "String", "Integer", "Boolean", "Float"}) {
        if (rest.startsWith(kind)) {
          return switch (kind) {
            case "Array" -> "an array";
            case "Object" -> "an object";
            case "String" -> "a string";
            case "Boolean" -> "a boolean";
            default -> "a number";
          };
        }
      }
    }
    return "";
  }

  private static <T extends Throwable> @Nullable T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /**
   * Returns the first line of {@code message}, without Jackson's echo of the input ({@code [Source:
   * …]}) and clipped, so that a message is one line and never repeats much of a document.
   */
  public static String firstLine(@Nullable String message) {
    if (message == null || message.isBlank()) {
      return "unexpected content";
    }
    String line = message.strip();
    int newline = line.indexOf('\n');
    if (newline >= 0) {
      line = line.substring(0, newline).strip();
    }
    int source = line.indexOf("[Source:");
    if (source >= 0) {
      line = line.substring(0, source).strip();
    }
    // Jackson names the Java method behind a limit: "(from `StreamReadConstraints.getMax…()`)".
    line = line.replaceAll("\\s*\\(from `[^`]*`\\)", "").replaceAll(",\\s*from `[^`]*`", "");
    if (line.endsWith("(start marker at")) {
      line = line.substring(0, line.length() - "(start marker at".length()).strip();
    }
    return line.length() <= 200 ? line : line.substring(0, 197) + "...";
  }

  private static String clip(@Nullable String value) {
    if (value == null) {
      return "null";
    }
    String v = value.replace('\n', ' ').replace('\r', ' ');
    return v.length() <= MAX_VALUE_CHARS ? v : v.substring(0, MAX_VALUE_CHARS - 3) + "...";
  }
}
