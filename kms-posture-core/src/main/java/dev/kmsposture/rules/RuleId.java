package dev.kmsposture.rules;

import java.util.Objects;

/**
 * A rule's stable id: the rule class name in UpperCamelCase, naming the problem, such as {@code
 * RotationDisabled}. Suppressions and baselines refer to rules by id.
 *
 * @param value the id
 */
public record RuleId(String value) implements Comparable<RuleId> {
  /** Checks the id is UpperCamelCase letters and digits. */
  public RuleId {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()
        || !Character.isUpperCase(value.charAt(0))
        || !value.chars().allMatch(Character::isLetterOrDigit)) {
      throw new IllegalArgumentException(
          String.format(
              "rule id [%s] is not valid; expected UpperCamelCase letters and digits, e.g."
                  + " RotationDisabled",
              value));
    }
  }

  /** Returns the rule id {@code value}. */
  public static RuleId of(String value) {
    return new RuleId(value);
  }

  /** Returns the path of the rule's documentation page, {@code docs/rules/<Id>.md}. */
  public String documentation() {
    return "docs/rules/" + value + ".md";
  }

  @Override
  public int compareTo(RuleId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
