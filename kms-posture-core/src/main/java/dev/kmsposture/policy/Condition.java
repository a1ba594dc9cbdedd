package dev.kmsposture.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One condition: an operator, a key and the values it is compared with, as in {@code
 * "StringEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com"]}}. Values are ORed; conditions
 * in a statement are ANDed.
 *
 * <p>An empty value list is kept as written: it never matches (except that {@code …IfExists} and
 * {@code ForAllValues:} are true when the key is absent), so dropping it would widen an Allow.
 *
 * @param operator the operator
 * @param key the condition key
 * @param values the values, in document order; may be empty
 * @param array whether the document wrote the values as a JSON array (a single value may be a
 *     scalar)
 */
public record Condition(
    ConditionOperator operator, ConditionKey key, List<ConditionValue> values, boolean array) {

  /** Copies the values and checks that a scalar form holds exactly one value. */
  public Condition {
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(key, "key");
    values = List.copyOf(values);
    if (!array && values.size() != 1) {
      throw new IllegalArgumentException(
          String.format(
              "condition [%s %s] written as a scalar must have exactly one value, has %d",
              operator, key, values.size()));
    }
  }

  /**
   * Returns a condition with string values, written as a scalar when there is one value and as an
   * array otherwise.
   */
  public static Condition of(ConditionOperator operator, ConditionKey key, String... values) {
    List<ConditionValue> list = new ArrayList<>(values.length);
    for (String v : values) {
      list.add(ConditionValue.of(Objects.requireNonNull(v, "value")));
    }
    return new Condition(operator, key, list, values.length != 1);
  }

  /**
   * Returns a condition with one JSON boolean value, e.g. {@code "Bool":
   * {"kms:GrantIsForAWSResource": true}}.
   */
  public static Condition of(ConditionOperator operator, ConditionKey key, boolean value) {
    return new Condition(operator, key, List.of(ConditionValue.of(value)), false);
  }

  /** Returns the values as text, in document order. */
  public List<String> valueTexts() {
    if (values.size() == 1) {
      return List.of(values.get(0).text());
    }
    List<String> out = new ArrayList<>(values.size());
    for (ConditionValue v : values) {
      out.add(v.text());
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public String toString() {
    return "\"" + operator + "\": {\"" + key + "\": " + (array ? values : values.get(0)) + "}";
  }
}
