package dev.kmsposture.access;

import dev.kmsposture.internal.glob.Glob;
import dev.kmsposture.internal.policy.ConditionValues;
import dev.kmsposture.internal.policy.IpAddresses;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.ConditionOperator.Comparison;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One condition compiled for evaluation: the key pre-lowered, the operator resolved to a kind, and
 * the policy values pre-parsed (numbers, dates, CIDR blocks, base64, ARN parts).
 *
 * <p>Semantics follow IAM "Condition operators" and "Multivalued context keys":
 *
 * <ul>
 *   <li>values of one key are ORed; a negated operator is true when no value matches;
 *   <li>an absent key: false, except with {@code …IfExists}, {@code ForAllValues:} (the empty set)
 *       and negated operators without a qualifier (IAM: "if the key is not present … a negated
 *       operator returns true");
 *   <li>an empty value list never matches, except an absent key under {@code IfExists} or {@code
 *       ForAllValues:};
 *   <li>a key with several request values and no qualifier: a positive operator is true when any
 *       request value matches (as {@code ForAnyValue:}); a negated operator is true when no request
 *       value matches any policy value;
 *   <li>a key whose value is {@linkplain AccessRequest#isUnknown(String) unknown}, an unknown
 *       operator, or a policy variable naming an unknown key: {@link #CANNOT_TELL}.
 * </ul>
 */
final class CompiledCondition {
  static final int MATCH = 0;
  static final int NO_MATCH = 1;
  static final int CANNOT_TELL = 2;

  final Condition source;
  final String lowerKey;
  private final Comparison kind;
  private final boolean negated;
  private final ConditionOperator.Qualifier qualifier;
  private final boolean ifExists;
  private final String[] values;
  private final boolean[] variable;
  private final double[] numbers;
  private final long[] dates;
  private final IpAddresses.@Nullable Cidr[] cidrs;
  private final byte[] @Nullable [] binaries;
  private final String[] @Nullable [] arns;
  // StringLike shapes, so that common patterns avoid backtracking: see LIKE_* constants.
  private final byte[] likeShapes;
  private final String[] likeCores;

  private static final byte LIKE_GLOB = 0;
  private static final byte LIKE_EXACT = 1;
  private static final byte LIKE_PREFIX = 2;
  private static final byte LIKE_SUFFIX = 3;
  private static final byte LIKE_ANY = 4;

  CompiledCondition(Condition condition, boolean variables) {
    this.source = condition;
    this.lowerKey = condition.key().normalized();
    ConditionOperator op = condition.operator();
    this.qualifier = op.qualifier();
    this.ifExists = op.ifExists();
    boolean known = op.isKnown();
    this.negated = known && op.isNegated();
    this.kind = op.comparison();
    // IAM substitutes policy variables only in string, boolean and ARN operators; elsewhere ${…}
    // is literal text (ConditionValues decides, for validation too).
    boolean substitutes =
        variables
            && ConditionValues.allowsPolicyVariables(ConditionValues.typeOf(known, op.base()));
    int n = condition.values().size();
    this.values = new String[n];
    this.variable = new boolean[n];
    this.numbers = new double[n];
    this.dates = new long[n];
    this.cidrs = new IpAddresses.Cidr[n];
    this.binaries = new byte[n][];
    this.arns = new String[n][];
    this.likeShapes = new byte[n];
    this.likeCores = new String[n];
    for (int i = 0; i < n; i++) {
      String v = condition.values().get(i).text();
      values[i] = v;
      variable[i] = substitutes && v.contains("${");
      if (!variable[i]) {
        prepare(i, v);
      }
    }
  }

  private void prepare(int i, String v) {
    switch (kind) {
      case NUMERIC_EQUALS,
          NUMERIC_LESS_THAN,
          NUMERIC_LESS_THAN_EQUALS,
          NUMERIC_GREATER_THAN,
          NUMERIC_GREATER_THAN_EQUALS ->
          numbers[i] = ConditionValues.parseNumber(v);
      case DATE_EQUALS,
          DATE_LESS_THAN,
          DATE_LESS_THAN_EQUALS,
          DATE_GREATER_THAN,
          DATE_GREATER_THAN_EQUALS ->
          dates[i] = ConditionValues.parseDate(v);
      case IP_ADDRESS -> cidrs[i] = IpAddresses.parseCidr(v);
      case BINARY_EQUALS -> binaries[i] = ConditionValues.decodeBase64(v);
      case ARN_LIKE -> arns[i] = ConditionValues.arnParts(v);
      case STRING_LIKE -> likeShape(i, v);
      default -> {}
    }
  }

  private void likeShape(int i, String v) {
    likeCores[i] = v;
    if (v.indexOf('?') >= 0) {
      likeShapes[i] = LIKE_GLOB;
      return;
    }
    int first = v.indexOf('*');
    if (first < 0) {
      likeShapes[i] = LIKE_EXACT;
      return;
    }
    int last = v.lastIndexOf('*');
    boolean allStars = true;
    for (int k = first; k < v.length(); k++) {
      if (v.charAt(k) != '*') {
        allStars = false;
        break;
      }
    }
    if (first == 0 && allStars) {
      likeShapes[i] = LIKE_ANY;
    } else if (allStars) {
      likeShapes[i] = LIKE_PREFIX;
      likeCores[i] = v.substring(0, first);
    } else if (first == 0 && last == 0) {
      likeShapes[i] = LIKE_SUFFIX;
      likeCores[i] = v.substring(1);
    } else {
      likeShapes[i] = LIKE_GLOB;
    }
  }

  private boolean like(int i, String text) {
    return switch (likeShapes[i]) {
      case LIKE_EXACT -> likeCores[i].equals(text);
      case LIKE_PREFIX -> text.startsWith(likeCores[i]);
      case LIKE_SUFFIX -> text.endsWith(likeCores[i]);
      case LIKE_ANY -> true;
      default -> Glob.matches(likeCores[i], text, false);
    };
  }

  /** Returns whether the operator is one IAM knows. */
  boolean isKnownOperator() {
    return kind != Comparison.UNKNOWN;
  }

  /** Evaluates the condition against {@code request}: {@link #MATCH}, {@link #NO_MATCH} or … */
  int evaluate(AccessRequest request) {
    if (kind == Comparison.UNKNOWN) {
      return CANNOT_TELL;
    }
    List<String> given = request.lookupLower(lowerKey);
    if (given == AccessRequest.UNKNOWN) {
      return CANNOT_TELL;
    }
    if (kind == Comparison.NULL) {
      boolean absent = given == null || given.isEmpty();
      for (String v : values) {
        if (v.equalsIgnoreCase("true") ? absent : v.equalsIgnoreCase("false") && !absent) {
          return MATCH;
        }
      }
      return NO_MATCH;
    }
    if (values.length == 0) {
      return given == null && (ifExists || qualifier == ConditionOperator.Qualifier.FOR_ALL_VALUES)
          ? MATCH
          : NO_MATCH;
    }
    if (given == null || given.isEmpty()) {
      if (qualifier == ConditionOperator.Qualifier.FOR_ALL_VALUES) {
        return MATCH;
      }
      if (qualifier == ConditionOperator.Qualifier.FOR_ANY_VALUE) {
        return given == null && ifExists ? MATCH : NO_MATCH;
      }
      return ifExists || negated ? MATCH : NO_MATCH;
    }
    int size = given.size();
    if (qualifier == ConditionOperator.Qualifier.FOR_ALL_VALUES) {
      // Every request value must match (negated: must match no policy value).
      for (int r = 0; r < size; r++) {
        int m = anyValue(given.get(r), request);
        if (m == CANNOT_TELL) {
          return CANNOT_TELL;
        }
        if ((m == MATCH) == negated) {
          return NO_MATCH;
        }
      }
      return MATCH;
    }
    if (qualifier == ConditionOperator.Qualifier.FOR_ANY_VALUE || !negated) {
      // Some request value must match (negated: some request value matches no policy value).
      for (int r = 0; r < size; r++) {
        int m = anyValue(given.get(r), request);
        if (m == CANNOT_TELL) {
          return CANNOT_TELL;
        }
        if ((m == MATCH) != negated) {
          return MATCH;
        }
      }
      return NO_MATCH;
    }
    // Negated, no qualifier: true when no request value matches any policy value.
    for (int r = 0; r < size; r++) {
      int m = anyValue(given.get(r), request);
      if (m != NO_MATCH) {
        return m == MATCH ? NO_MATCH : CANNOT_TELL;
      }
    }
    return MATCH;
  }

  /** Whether {@code text} matches any policy value under the positive form of the operator. */
  // PolicyVariables.UNKNOWN is a sentinel instance, not a value.
  @SuppressWarnings("ReferenceEquality")
  private int anyValue(String text, AccessRequest request) {
    boolean unknown = false;
    for (int i = 0; i < values.length; i++) {
      if (variable[i]) {
        String sub = PolicyVariables.substitute(values[i], request);
        if (sub == PolicyVariables.UNKNOWN) {
          unknown = true;
        } else if (sub != null && matchDynamic(sub, text)) {
          return MATCH;
        }
      } else if (matchStatic(i, text)) {
        return MATCH;
      }
    }
    return unknown ? CANNOT_TELL : NO_MATCH;
  }

  private boolean matchStatic(int i, String text) {
    String v = values[i];
    switch (kind) {
      case STRING_EQUALS -> {
        return v.equals(text);
      }
      case STRING_EQUALS_IGNORE_CASE -> {
        return v.equalsIgnoreCase(text);
      }
      case BOOL -> {
        // Bool compares booleans: a value that is not true or false matches nothing.
        return ConditionValues.isBoolean(v) && v.equalsIgnoreCase(text);
      }
      case STRING_LIKE -> {
        return like(i, text);
      }
      case NUMERIC_EQUALS,
          NUMERIC_LESS_THAN,
          NUMERIC_LESS_THAN_EQUALS,
          NUMERIC_GREATER_THAN,
          NUMERIC_GREATER_THAN_EQUALS -> {
        return compareNumbers(numbers[i], ConditionValues.parseNumber(text));
      }
      case DATE_EQUALS,
          DATE_LESS_THAN,
          DATE_LESS_THAN_EQUALS,
          DATE_GREATER_THAN,
          DATE_GREATER_THAN_EQUALS -> {
        return compareDates(dates[i], ConditionValues.parseDate(text));
      }
      case IP_ADDRESS -> {
        IpAddresses.Cidr c = cidrs[i];
        byte[] a = c == null ? null : IpAddresses.parseAddress(text);
        return c != null && a != null && c.contains(a);
      }
      case BINARY_EQUALS -> {
        byte[] b = binaries[i];
        byte[] t = b == null ? null : ConditionValues.decodeBase64(text);
        return b != null && t != null && Arrays.equals(b, t);
      }
      case ARN_LIKE -> {
        String[] p = arns[i];
        return p != null && arnMatches(p, text);
      }
      default -> {
        return false;
      }
    }
  }

  /** Matches a value produced by policy-variable substitution (escapes are literal). */
  private boolean matchDynamic(String value, String text) {
    switch (kind) {
      case STRING_LIKE -> {
        return Glob.matches(value, PolicyVariables.protect(text), false);
      }
      case ARN_LIKE -> {
        String[] p = ConditionValues.arnParts(value);
        return p != null && arnMatches(p, PolicyVariables.protect(text));
      }
      default -> {
        String plain = PolicyVariables.unprotect(value);
        switch (kind) {
          case STRING_EQUALS:
            return plain.equals(text);
          case STRING_EQUALS_IGNORE_CASE:
            return plain.equalsIgnoreCase(text);
          case BOOL:
            return ConditionValues.isBoolean(plain) && plain.equalsIgnoreCase(text);
          case NUMERIC_EQUALS:
          case NUMERIC_LESS_THAN:
          case NUMERIC_LESS_THAN_EQUALS:
          case NUMERIC_GREATER_THAN:
          case NUMERIC_GREATER_THAN_EQUALS:
            return compareNumbers(
                ConditionValues.parseNumber(plain), ConditionValues.parseNumber(text));
          case DATE_EQUALS:
          case DATE_LESS_THAN:
          case DATE_LESS_THAN_EQUALS:
          case DATE_GREATER_THAN:
          case DATE_GREATER_THAN_EQUALS:
            return compareDates(ConditionValues.parseDate(plain), ConditionValues.parseDate(text));
          case IP_ADDRESS:
            {
              IpAddresses.Cidr c = IpAddresses.parseCidr(plain);
              byte[] a = IpAddresses.parseAddress(text);
              return c != null && a != null && c.contains(a);
            }
          case BINARY_EQUALS:
            {
              byte[] b = ConditionValues.decodeBase64(plain);
              byte[] t = ConditionValues.decodeBase64(text);
              return b != null && t != null && Arrays.equals(b, t);
            }
          default:
            return false;
        }
      }
    }
  }

  // Policy value on the right: "request < policy" for NumericLessThan.
  private boolean compareNumbers(double policy, double request) {
    if (Double.isNaN(policy) || Double.isNaN(request)) {
      return false;
    }
    return switch (kind) {
      case NUMERIC_EQUALS -> request == policy;
      case NUMERIC_LESS_THAN -> request < policy;
      case NUMERIC_LESS_THAN_EQUALS -> request <= policy;
      case NUMERIC_GREATER_THAN -> request > policy;
      default -> request >= policy;
    };
  }

  private boolean compareDates(long policy, long request) {
    if (policy == ConditionValues.NOT_A_DATE || request == ConditionValues.NOT_A_DATE) {
      return false;
    }
    return switch (kind) {
      case DATE_EQUALS -> request == policy;
      case DATE_LESS_THAN -> request < policy;
      case DATE_LESS_THAN_EQUALS -> request <= policy;
      case DATE_GREATER_THAN -> request > policy;
      default -> request >= policy;
    };
  }

  // IAM: "Each of the six colon-delimited components of the ARN is checked separately and each can
  // include multi-character match wildcards (*) or single-character match wildcards (?)."
  private static boolean arnMatches(String[] pattern, String text) {
    int from = 0;
    for (int i = 0; i < 5; i++) {
      int c = text.indexOf(':', from);
      if (c < 0) {
        return false;
      }
      if (!segmentMatches(pattern[i], text, from, c)) {
        return false;
      }
      from = c + 1;
    }
    return segmentMatches(pattern[5], text, from, text.length());
  }

  private static boolean segmentMatches(String pattern, String text, int from, int to) {
    if (pattern.length() == 1 && pattern.charAt(0) == '*') {
      return true;
    }
    if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
      return pattern.length() == to - from && text.startsWith(pattern, from);
    }
    return Glob.matches(pattern, text, from, to, false);
  }

  /** Returns the key name as written in the policy. */
  String keyName() {
    return source.key().name();
  }
}
