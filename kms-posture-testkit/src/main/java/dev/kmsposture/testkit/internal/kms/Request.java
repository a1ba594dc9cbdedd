package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads one request body the way the KMS front end does: members by their model names, with the
 * model's length, range, pattern and enum constraints checked first and reported together in AWS's
 * format ({@code 1 validation error detected: Value 'x' at 'keyId' failed to satisfy constraint:
 * Member must have length less than or equal to 2048}).
 *
 * <p>A member of the wrong JSON type is a {@code SerializationException}, as AWS answers it.
 * Sensitive blobs ({@code Plaintext}, …) are reported without their value ({@code Value at
 * 'plaintext' failed to satisfy constraint: …}, as recorded from AWS).
 */
final class Request {
  /** Lower-camel field names by member name, asked for every member of every journalled call. */
  private static final Map<String, String> FIELDS = new ConcurrentHashMap<>();

  private static final int MAX_KNOWN_FIELDS = 512;

  private final ObjectNode body;
  private final List<String> problems = new ArrayList<>();

  Request(ObjectNode body) {
    this.body = body;
  }

  ObjectNode body() {
    return body;
  }

  boolean has(String member) {
    JsonNode node = body.get(member);
    return node != null && !node.isNull();
  }

  // ---- strings ----

  @Nullable String string(String member) {
    JsonNode node = body.get(member);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw KmsErrors.serialization(
          "Unexpected value for " + member + ": expected a string, found " + node.getNodeType());
    }
    return node.textValue();
  }

  /** A required string with the model's length limits; null (with a recorded problem) if bad. */
  @Nullable String requiredString(String member, int min, int max) {
    String value = string(member);
    if (value == null) {
      problems.add(
          "Value null at '"
              + field(member)
              + "' failed to satisfy constraint: Member must not be null");
      return null;
    }
    return checkLength(member, value, min, max);
  }

  @Nullable String optionalString(String member, int min, int max) {
    String value = string(member);
    return value == null ? null : checkLength(member, value, min, max);
  }

  /**
   * A required string with the model's length limits and pattern; null (with the recorded problems)
   * if bad. A value that breaks both is two problems, length first, as the front end checks every
   * constraint of a member ({@code 2 validation errors detected: Value '' at 'aliasName' … length
   * greater than or equal to 1; Value '' at 'aliasName' … regular expression pattern: …}).
   */
  @Nullable String requiredString(String member, int min, int max, Pattern pattern) {
    String value = requiredString(member, min, max);
    String given = value == null ? string(member) : value;
    if (given == null) {
      return null;
    }
    return checkPattern(member, given, pattern) ? value : null;
  }

  /** An optional string with the model's length limits and pattern, checked as above. */
  @Nullable String optionalString(String member, int min, int max, Pattern pattern) {
    String given = string(member);
    if (given == null) {
      return null;
    }
    String value = checkLength(member, given, min, max);
    return checkPattern(member, given, pattern) ? value : null;
  }

  @Nullable String checkLength(String member, String value, int min, int max) {
    return checkLength(field(member), value, min, max, true);
  }

  @Nullable String checkLength(String path, String value, int min, int max, boolean showValue) {
    int length = value.length();
    if (length < min) {
      problems.add(
          valueText(value, showValue)
              + " at '"
              + path
              + "' failed to satisfy constraint: Member must have length greater than or equal to "
              + min);
      return null;
    }
    if (length > max) {
      problems.add(
          valueText(value, showValue)
              + " at '"
              + path
              + "' failed to satisfy constraint: Member must have length less than or equal to "
              + max);
      return null;
    }
    return value;
  }

  /**
   * Checks {@code value} against a model pattern; records a problem and returns false if it fails.
   */
  boolean checkPattern(String member, @Nullable String value, Pattern pattern) {
    return value == null || checkPattern(field(member), value, pattern, true);
  }

  /**
   * Checks {@code value} at {@code path} against a model pattern, showing the value unless the
   * shape is sensitive; records a problem and returns false if it fails.
   */
  boolean checkPattern(String path, String value, Pattern pattern, boolean showValue) {
    if (pattern.matcher(value).matches()) {
      return true;
    }
    problems.add(
        valueText(value, showValue)
            + " at '"
            + path
            + "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
            + pattern.pattern());
    return false;
  }

  /**
   * An optional enum member: null when absent; recorded as a problem when not in {@code allowed}.
   */
  @Nullable String optionalEnum(String member, Collection<String> allowed) {
    String value = string(member);
    if (value == null || allowed.contains(value)) {
      return value;
    }
    problems.add(
        "Value '"
            + value
            + "' at '"
            + field(member)
            + "' failed to satisfy constraint: Member must satisfy enum value set: "
            + allowed.toString());
    return null;
  }

  @Nullable String requiredEnum(String member, Collection<String> allowed) {
    if (!has(member)) {
      problems.add(
          "Value null at '"
              + field(member)
              + "' failed to satisfy constraint: Member must not be null");
      return null;
    }
    return optionalEnum(member, allowed);
  }

  // ---- numbers and booleans ----

  @Nullable Integer integer(String member) {
    JsonNode node = body.get(member);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw KmsErrors.serialization(
          "Unexpected value for " + member + ": expected an integer, found " + node.getNodeType());
    }
    return node.intValue();
  }

  /** An optional integer with the model's range; null (with a recorded problem) if out of range. */
  @Nullable Integer optionalInt(String member, int min, int max) {
    Integer value = integer(member);
    if (value == null) {
      return null;
    }
    return checkRange(member, value, min, max);
  }

  @Nullable Integer checkRange(String member, int value, int min, int max) {
    if (value < min) {
      problems.add(
          "Value '"
              + value
              + "' at '"
              + field(member)
              + "' failed to satisfy constraint: Member must have value greater than or equal to "
              + min);
      return null;
    }
    if (value > max) {
      problems.add(
          "Value '"
              + value
              + "' at '"
              + field(member)
              + "' failed to satisfy constraint: Member must have value less than or equal to "
              + max);
      return null;
    }
    return value;
  }

  boolean bool(String member) {
    JsonNode node = body.get(member);
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw KmsErrors.serialization(
          "Unexpected value for " + member + ": expected a boolean, found " + node.getNodeType());
    }
    return node.booleanValue();
  }

  /** A timestamp member, sent by the SDKs as epoch seconds. */
  @Nullable Instant timestamp(String member) {
    JsonNode node = body.get(member);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      throw KmsErrors.serialization(
          "Unexpected value for "
              + member
              + ": expected epoch seconds, found "
              + node.getNodeType());
    }
    BigDecimal seconds = node.decimalValue();
    long whole = seconds.longValue();
    int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
    return Instant.ofEpochSecond(whole, nanos);
  }

  // ---- blobs ----

  /** A base64 blob member, decoded; null when absent. */
  byte @Nullable [] blob(String member) {
    String text = string(member);
    if (text == null) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw KmsErrors.serialization("Unexpected value for " + member + ": not valid base64");
    }
  }

  /** A sensitive blob with length limits; its value is never printed in the problem. */
  byte @Nullable [] requiredBlob(String member, int min, int max) {
    byte[] value = blob(member);
    if (value == null) {
      problems.add(
          "Value null at '"
              + field(member)
              + "' failed to satisfy constraint: Member must not be null");
      return null;
    }
    return checkBlob(member, value, min, max);
  }

  byte @Nullable [] optionalBlob(String member, int min, int max) {
    byte[] value = blob(member);
    return value == null ? null : checkBlob(member, value, min, max);
  }

  private byte @Nullable [] checkBlob(String member, byte[] value, int min, int max) {
    if (value.length < min) {
      problems.add(
          "Value at '"
              + field(member)
              + "' failed to satisfy constraint: Member must have length greater than or equal to "
              + min);
      return null;
    }
    if (value.length > max) {
      problems.add(
          "Value at '"
              + field(member)
              + "' failed to satisfy constraint: Member must have length less than or equal to "
              + max);
      return null;
    }
    return value;
  }

  // ---- lists and maps ----

  /** A list of strings; empty when absent. */
  List<String> stringList(String member) {
    JsonNode node = body.get(member);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw KmsErrors.serialization(
          "Unexpected value for " + member + ": expected a list, found " + node.getNodeType());
    }
    List<String> out = new ArrayList<>(node.size());
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw KmsErrors.serialization(
            "Unexpected value in " + member + ": expected strings, found " + item.getNodeType());
      }
      out.add(item.textValue());
    }
    return out;
  }

  /**
   * A list of enum values (DryRunModifiers); empty when absent. A value outside {@code allowed} is
   * recorded as AWS reports a list member's constraint: {@code Value '[X]' at 'dryRunModifiers'
   * failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value
   * set: [IGNORE_CIPHERTEXT]]}.
   */
  List<String> enumList(String member, List<String> allowed) {
    List<String> values = stringList(member);
    for (String value : values) {
      if (!allowed.contains(value)) {
        problems.add(
            "Value '"
                + values
                + "' at '"
                + field(member)
                + "' failed to satisfy constraint: Member must satisfy constraint: [Member must"
                + " satisfy enum value set: "
                + allowed
                + "]");
        return List.of();
      }
    }
    return values;
  }

  /** A list of objects; empty when absent. */
  List<ObjectNode> objectList(String member) {
    JsonNode node = body.get(member);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw KmsErrors.serialization(
          "Unexpected value for " + member + ": expected a list, found " + node.getNodeType());
    }
    List<ObjectNode> out = new ArrayList<>(node.size());
    for (JsonNode item : node) {
      if (!(item instanceof ObjectNode object)) {
        throw KmsErrors.serialization(
            "Unexpected value in " + member + ": expected structures, found " + item.getNodeType());
      }
      out.add(object);
    }
    return out;
  }

  @Nullable ObjectNode object(String member) {
    JsonNode node = body.get(member);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!(node instanceof ObjectNode object)) {
      throw KmsErrors.serialization(
          "Unexpected value for " + member + ": expected a structure, found " + node.getNodeType());
    }
    return object;
  }

  /** A string-to-string map (an encryption context); empty when absent. */
  static Map<String, String> stringMap(@Nullable JsonNode node, String member) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw KmsErrors.serialization(
          "Unexpected value for " + member + ": expected a map, found " + node.getNodeType());
    }
    // sized for its pairs: the default table is made on the first put and grown past 12 pairs
    Map<String, String> out = new LinkedHashMap<>(node.size() * 4 / 3 + 1);
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw KmsErrors.serialization(
            "Unexpected value in "
                + member
                + ": expected string values, found "
                + e.getValue().getNodeType());
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  Map<String, String> stringMap(String member) {
    return stringMap(body.get(member), member);
  }

  // ---- problems ----

  void problem(String text) {
    problems.add(text);
  }

  boolean hasProblems() {
    return !problems.isEmpty();
  }

  /** Throws the collected problems as one ValidationException, as AWS reports them. */
  void throwIfInvalid() {
    if (problems.isEmpty()) {
      return;
    }
    int n = problems.size();
    throw KmsErrors.validation(
        n
            + (n == 1 ? " validation error detected: " : " validation errors detected: ")
            + String.join("; ", problems));
  }

  /** The model member as AWS names it in validation messages: lower camel case. */
  static String field(String member) {
    String known = FIELDS.get(member);
    if (known != null) {
      return known;
    }
    String field =
        member.isEmpty()
            ? member
            : member.substring(0, 1).toLowerCase(Locale.ROOT) + member.substring(1);
    // model member names are few; a caller's own names (map keys are never asked) are not kept
    // beyond the bound, so that a long-running server's memory stays flat
    if (FIELDS.size() < MAX_KNOWN_FIELDS) {
      FIELDS.putIfAbsent(member, field);
    }
    return field;
  }

  private static String valueText(String value, boolean show) {
    return show ? "Value '" + value + "'" : "Value";
  }
}
