package dev.kmsposture.policy;

import java.util.Objects;
import java.util.Set;

/**
 * A condition operator such as {@code StringEquals}, {@code ForAnyValue:StringLike} or {@code
 * StringEqualsIfExists}. An open value: an unknown operator parses and round-trips, and {@link
 * #isKnown()} says so (validation reports it).
 *
 * <p>The set qualifier ({@code ForAnyValue:}/{@code ForAllValues:}) and the {@code IfExists} suffix
 * are read into {@link #qualifier()} and {@link #ifExists()}, so that rules reason about them
 * instead of matching strings.
 *
 * @param name the operator as written
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html">IAM
 *     JSON policy elements: Condition operators</a>
 */
public record ConditionOperator(String name) implements Comparable<ConditionOperator> {

  /** The set qualifier of an operator on a multi-valued key. */
  public enum Qualifier {
    /** No qualifier: the key is read as single-valued. */
    NONE(""),
    /** {@code ForAnyValue:} — at least one request value must match. */
    FOR_ANY_VALUE("ForAnyValue:"),
    /** {@code ForAllValues:} — every request value must match (true when the key is absent). */
    FOR_ALL_VALUES("ForAllValues:");

    private final String prefix;

    Qualifier(String prefix) {
      this.prefix = prefix;
    }

    /** Returns the prefix as written, such as {@code ForAnyValue:}, or empty for {@link #NONE}. */
    public String prefix() {
      return prefix;
    }
  }

  /**
   * The comparison a condition operator makes, whatever its negation, qualifier and {@code
   * IfExists} suffix: the one table from operator names to comparisons that the evaluator and the
   * prover both read ({@link #comparison()}). {@code StringNotEquals} compares as {@link
   * #STRING_EQUALS} (negated), {@code NotIpAddress} as {@link #IP_ADDRESS}, the four {@code Arn…}
   * operators as {@link #ARN_LIKE} (IAM "Condition operators": {@code ArnEquals} and {@code
   * ArnLike} behave alike, wildcards included).
   */
  public enum Comparison {
    /** {@code StringEquals}, {@code StringNotEquals}. */
    STRING_EQUALS,
    /** {@code StringEqualsIgnoreCase}, {@code StringNotEqualsIgnoreCase}. */
    STRING_EQUALS_IGNORE_CASE,
    /** {@code StringLike}, {@code StringNotLike}. */
    STRING_LIKE,
    /** {@code NumericEquals}, {@code NumericNotEquals}. */
    NUMERIC_EQUALS,
    /** {@code NumericLessThan}. */
    NUMERIC_LESS_THAN,
    /** {@code NumericLessThanEquals}. */
    NUMERIC_LESS_THAN_EQUALS,
    /** {@code NumericGreaterThan}. */
    NUMERIC_GREATER_THAN,
    /** {@code NumericGreaterThanEquals}. */
    NUMERIC_GREATER_THAN_EQUALS,
    /** {@code DateEquals}, {@code DateNotEquals}. */
    DATE_EQUALS,
    /** {@code DateLessThan}. */
    DATE_LESS_THAN,
    /** {@code DateLessThanEquals}. */
    DATE_LESS_THAN_EQUALS,
    /** {@code DateGreaterThan}. */
    DATE_GREATER_THAN,
    /** {@code DateGreaterThanEquals}. */
    DATE_GREATER_THAN_EQUALS,
    /** {@code Bool}. */
    BOOL,
    /** {@code BinaryEquals}. */
    BINARY_EQUALS,
    /** {@code IpAddress}, {@code NotIpAddress}. */
    IP_ADDRESS,
    /** {@code ArnEquals}, {@code ArnLike}, {@code ArnNotEquals}, {@code ArnNotLike}. */
    ARN_LIKE,
    /** {@code Null}. */
    NULL,
    /** An operator IAM does not know ({@link #isKnown()} is false): nothing can be told. */
    UNKNOWN;

    static Comparison ofBase(String base) {
      return switch (base) {
        case "StringEquals", "StringNotEquals" -> STRING_EQUALS;
        case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" -> STRING_EQUALS_IGNORE_CASE;
        case "StringLike", "StringNotLike" -> STRING_LIKE;
        case "NumericEquals", "NumericNotEquals" -> NUMERIC_EQUALS;
        case "NumericLessThan" -> NUMERIC_LESS_THAN;
        case "NumericLessThanEquals" -> NUMERIC_LESS_THAN_EQUALS;
        case "NumericGreaterThan" -> NUMERIC_GREATER_THAN;
        case "NumericGreaterThanEquals" -> NUMERIC_GREATER_THAN_EQUALS;
        case "DateEquals", "DateNotEquals" -> DATE_EQUALS;
        case "DateLessThan" -> DATE_LESS_THAN;
        case "DateLessThanEquals" -> DATE_LESS_THAN_EQUALS;
        case "DateGreaterThan" -> DATE_GREATER_THAN;
        case "DateGreaterThanEquals" -> DATE_GREATER_THAN_EQUALS;
        case "Bool" -> BOOL;
        case "BinaryEquals" -> BINARY_EQUALS;
        case "IpAddress", "NotIpAddress" -> IP_ADDRESS;
        case "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike" -> ARN_LIKE;
        case "Null" -> NULL;
        default -> UNKNOWN;
      };
    }
  }

  private static final Set<String> KNOWN_BASES =
      Set.of(
          "StringEquals",
          "StringNotEquals",
          "StringEqualsIgnoreCase",
          "StringNotEqualsIgnoreCase",
          "StringLike",
          "StringNotLike",
          "NumericEquals",
          "NumericNotEquals",
          "NumericLessThan",
          "NumericLessThanEquals",
          "NumericGreaterThan",
          "NumericGreaterThanEquals",
          "DateEquals",
          "DateNotEquals",
          "DateLessThan",
          "DateLessThanEquals",
          "DateGreaterThan",
          "DateGreaterThanEquals",
          "Bool",
          "BinaryEquals",
          "IpAddress",
          "NotIpAddress",
          "ArnEquals",
          "ArnLike",
          "ArnNotEquals",
          "ArnNotLike",
          "Null");

  /** {@code StringEquals}. */
  public static final ConditionOperator STRING_EQUALS = new ConditionOperator("StringEquals");

  /** {@code StringLike}. */
  public static final ConditionOperator STRING_LIKE = new ConditionOperator("StringLike");

  /** {@code StringNotEquals}. */
  public static final ConditionOperator STRING_NOT_EQUALS =
      new ConditionOperator("StringNotEquals");

  /** {@code ArnLike}. */
  public static final ConditionOperator ARN_LIKE = new ConditionOperator("ArnLike");

  /** {@code ArnEquals}. */
  public static final ConditionOperator ARN_EQUALS = new ConditionOperator("ArnEquals");

  /** {@code Bool}. */
  public static final ConditionOperator BOOL = new ConditionOperator("Bool");

  /** {@code NumericGreaterThanEquals}. */
  public static final ConditionOperator NUMERIC_GREATER_THAN_EQUALS =
      new ConditionOperator("NumericGreaterThanEquals");

  /** {@code ForAnyValue:StringEquals}. */
  public static final ConditionOperator FOR_ANY_VALUE_STRING_EQUALS =
      new ConditionOperator("ForAnyValue:StringEquals");

  /** {@code ForAllValues:StringEquals}. */
  public static final ConditionOperator FOR_ALL_VALUES_STRING_EQUALS =
      new ConditionOperator("ForAllValues:StringEquals");

  /** Validates the name. */
  public ConditionOperator {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          "condition operator [] is empty; expected e.g. StringEquals or ForAnyValue:StringLike");
    }
  }

  /** Returns the operator named {@code name}. */
  public static ConditionOperator of(String name) {
    return new ConditionOperator(name);
  }

  /** Returns the set qualifier written before the operator, or {@link Qualifier#NONE}. */
  public Qualifier qualifier() {
    if (name.startsWith(Qualifier.FOR_ANY_VALUE.prefix)) {
      return Qualifier.FOR_ANY_VALUE;
    }
    if (name.startsWith(Qualifier.FOR_ALL_VALUES.prefix)) {
      return Qualifier.FOR_ALL_VALUES;
    }
    return Qualifier.NONE;
  }

  /**
   * Returns whether the name ends in {@code IfExists} (true when the key is absent from the
   * request).
   */
  public boolean ifExists() {
    return name.endsWith("IfExists") && !base().isEmpty();
  }

  /**
   * Returns the base operator without qualifier and {@code IfExists} suffix, e.g. {@code
   * StringLike} for {@code ForAnyValue:StringLikeIfExists}.
   */
  public String base() {
    String s = name.substring(qualifier().prefix.length());
    if (s.endsWith("IfExists") && s.length() > "IfExists".length()) {
      s = s.substring(0, s.length() - "IfExists".length());
    }
    return s;
  }

  /**
   * Returns whether IAM knows this operator: a known base, an optional qualifier, and an optional
   * {@code IfExists} suffix (which {@code Null} does not take).
   */
  public boolean isKnown() {
    String base = base();
    if (!KNOWN_BASES.contains(base)) {
      return false;
    }
    return !(base.equals("Null") && (ifExists() || qualifier() != Qualifier.NONE));
  }

  /**
   * Returns the comparison this operator makes ({@link Comparison}), or {@link Comparison#UNKNOWN}
   * when IAM does not know it ({@link #isKnown()} is false).
   */
  public Comparison comparison() {
    return isKnown() ? Comparison.ofBase(base()) : Comparison.UNKNOWN;
  }

  /**
   * Returns whether the base operator is negated ({@code StringNotEquals}, {@code NotIpAddress},
   * {@code ArnNotLike}, …), which matters on multi-valued keys and for analysis: a negated operator
   * never narrows who can call.
   */
  public boolean isNegated() {
    String base = base();
    return base.contains("Not") && !base.equals("Null");
  }

  @Override
  public int compareTo(ConditionOperator other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
