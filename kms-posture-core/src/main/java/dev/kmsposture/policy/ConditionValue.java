package dev.kmsposture.policy;

import java.util.Objects;

/**
 * One value in a condition, with the JSON type it was written as. IAM compares condition values as
 * text, but a policy written with {@code true} (a JSON boolean) keeps that form when written back.
 *
 * @param text the value as text ({@code "true"}, {@code "30"}, {@code "o-abc123"})
 * @param type the JSON type it was written as
 */
public record ConditionValue(String text, Type type) {

  /** The JSON type a condition value was written as. */
  public enum Type {
    /** A JSON string. */
    STRING,
    /** A JSON {@code true} or {@code false}. */
    BOOLEAN,
    /** A JSON number, kept exactly as written. */
    NUMBER
  }

  /** Validates the value against its type. */
  public ConditionValue {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(type, "type");
    if (type == Type.BOOLEAN && !text.equals("true") && !text.equals("false")) {
      throw new IllegalArgumentException(
          String.format("boolean condition value [%s] must be true or false", text));
    }
    if (type == Type.NUMBER && !isJsonNumber(text)) {
      throw new IllegalArgumentException(
          String.format("numeric condition value [%s] is not a JSON number", text));
    }
  }

  /** Returns a string value. */
  public static ConditionValue of(String text) {
    return new ConditionValue(text, Type.STRING);
  }

  /** Returns a JSON boolean value. */
  public static ConditionValue of(boolean value) {
    return new ConditionValue(Boolean.toString(value), Type.BOOLEAN);
  }

  private static boolean isJsonNumber(String s) {
    int i = 0;
    int n = s.length();
    if (i < n && s.charAt(i) == '-') {
      i++;
    }
    int digits = 0;
    while (i < n && Character.isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      int frac = 0;
      while (i < n && Character.isDigit(s.charAt(i))) {
        i++;
        frac++;
      }
      if (frac == 0) {
        return false;
      }
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exp = 0;
      while (i < n && Character.isDigit(s.charAt(i))) {
        i++;
        exp++;
      }
      if (exp == 0) {
        return false;
      }
    }
    return i == n;
  }

  @Override
  public String toString() {
    return type == Type.STRING ? '"' + text + '"' : text;
  }
}
