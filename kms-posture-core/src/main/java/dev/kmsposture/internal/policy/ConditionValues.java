package dev.kmsposture.internal.policy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one place that decides what a condition value means for its operator: how the evaluator reads
 * numbers, dates, booleans, base64, IP ranges and ARNs, and — from the same parsers — which values
 * policy validation reports because they can never match. A value {@link #problem} rejects is a
 * value the evaluator never matches.
 *
 * <p>The accepted forms follow IAM's "Condition operators" reference: numbers are integers or
 * decimals; dates are one of the W3C profiles of ISO 8601 ({@code YYYY-MM}, {@code YYYY-MM-DD},
 * {@code YYYY-MM-DDThh:mm}, {@code …:ss}, {@code …:ss.s}, with {@code Z} or an offset such as
 * {@code +01:00}; a date-time without an offset is read as UTC) or epoch (UNIX) seconds — so a bare
 * four-digit year reads as epoch seconds; booleans are {@code true} or {@code false} (any case); IP
 * values are IPv4 or IPv6 addresses or CIDR blocks; binary values are base64. ARN values are not
 * judged here: the evaluator matches only six-part ARN patterns, but whether IAM reads a bare
 * {@code *} the same way is not documented. Policy variables ({@code ${…}}) are substituted only in
 * string, boolean and ARN operators: IAM says "you can not use a policy variable" with the numeric,
 * date, binary and IP address operators, so there {@code ${…}} is literal text that never parses.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html">IAM
 *     JSON policy elements: Condition operators</a>
 * @see <a href="https://www.w3.org/TR/NOTE-datetime">W3C date and time formats</a>
 */
public final class ConditionValues {
  /** What an operator compares: the type its policy values are read as. */
  public enum Type {
    /** {@code String…}: text, with wildcards for {@code StringLike}. */
    STRING,
    /** {@code Numeric…}: integers or decimals. */
    NUMERIC,
    /** {@code Date…}: ISO 8601 (W3C profile) or epoch seconds. */
    DATE,
    /** {@code Bool}: {@code true} or {@code false}. */
    BOOLEAN,
    /** {@code BinaryEquals}: base64. */
    BINARY,
    /** {@code IpAddress}, {@code NotIpAddress}: an address or CIDR block. */
    IP_ADDRESS,
    /** {@code Arn…}: an ARN or ARN pattern of six colon-separated parts. */
    ARN,
    /** {@code Null}: {@code true} (the key is absent) or {@code false} (it is present). */
    NULL,
    /** An operator IAM does not know. */
    UNKNOWN
  }

  /** Returned by {@link #parseDate(String)} for a value that is not a date. */
  public static final long NOT_A_DATE = Long.MIN_VALUE;

  private static final int MAX_NUMBER_LENGTH = 64;

  private ConditionValues() {}

  /**
   * Returns what an operator's values are read as ({@link Type#UNKNOWN} for operators IAM does not
   * know). Takes the operator's parts rather than the policy model's {@code ConditionOperator}, so
   * that these helpers stay below the policy model.
   *
   * @param known whether IAM knows the operator ({@code ConditionOperator.isKnown()})
   * @param base the operator without its set qualifier and {@code IfExists} suffix ({@code
   *     ConditionOperator.base()})
   */
  public static Type typeOf(boolean known, String base) {
    if (!known) {
      return Type.UNKNOWN;
    }
    if (base.startsWith("String")) {
      return Type.STRING;
    }
    if (base.startsWith("Numeric")) {
      return Type.NUMERIC;
    }
    if (base.startsWith("Date")) {
      return Type.DATE;
    }
    if (base.startsWith("Arn")) {
      return Type.ARN;
    }
    return switch (base) {
      case "Bool" -> Type.BOOLEAN;
      case "BinaryEquals" -> Type.BINARY;
      case "IpAddress", "NotIpAddress" -> Type.IP_ADDRESS;
      case "Null" -> Type.NULL;
      default -> Type.UNKNOWN;
    };
  }

  /**
   * Returns whether IAM substitutes policy variables in values of {@code type}: string, boolean and
   * ARN operators only ("You can not use a policy variable with the Numeric/Date/Binary/IP address
   * condition operator", IAM Condition operators reference).
   */
  public static boolean allowsPolicyVariables(Type type) {
    return type == Type.STRING || type == Type.BOOLEAN || type == Type.ARN;
  }

  /**
   * Returns why {@code value} can never match under an operator of {@code type}, or empty when it
   * can. With {@code variables} (a 2012-10-17 policy) a value of a type that substitutes policy
   * variables is judged after substitution, so only a malformed variable is reported for it.
   *
   * @param type what the operator compares
   * @param value the policy value, as text
   * @param variables whether the policy's version substitutes policy variables
   * @return a lower-case explanation naming the value and what is accepted, or empty
   */
  public static Optional<String> problem(Type type, String value, boolean variables) {
    boolean substituted = variables && allowsPolicyVariables(type);
    if (substituted) {
      Optional<String> variable = variableProblem(value);
      if (variable.isPresent() || value.contains("${")) {
        return variable;
      }
    }
    return switch (type) {
      case NUMERIC ->
          Double.isNaN(parseNumber(value))
              ? Optional.of(
                  String.format(
                      "[%s] is not a number, so it never matches; numeric operators take an integer or a decimal such as"
                          + " 30 or 2.5%s",
                      clip(value), variableNote(value)))
              : Optional.empty();
      case DATE ->
          parseDate(value) == NOT_A_DATE
              ? Optional.of(
                  String.format(
                      "[%s] is not a date, so it never matches; date operators take ISO 8601 (2026-01-31,"
                          + " 2026-01-31T12:00:00Z, 2026-01-31T12:00:00+01:00) or epoch seconds such"
                          + " as 1767225600%s",
                      clip(value), variableNote(value)))
              : Optional.empty();
      case BOOLEAN, NULL ->
          isBoolean(value)
              ? Optional.empty()
              : Optional.of(
                  String.format(
                      "[%s] is not a boolean, so it never matches; expected true or false",
                      clip(value)));
      case BINARY ->
          decodeBase64(value) == null
              ? Optional.of(
                  String.format(
                      "[%s] is not base64, so it never matches; BinaryEquals compares with the base64 form of the"
                          + " bytes%s",
                      clip(value), variableNote(value)))
              : Optional.empty();
      case IP_ADDRESS ->
          IpAddresses.parseCidr(value) == null
              ? Optional.of(
                  String.format(
                      "[%s] is not an IP address or CIDR block, so it never matches; expected IPv4 or IPv6 such as"
                          + " 203.0.113.0/24 or 2001:db8::/32 (prefix at most /32 for IPv4, /128 for"
                          + " IPv6)%s",
                      clip(value), variableNote(value)))
              : Optional.empty();
      default -> Optional.empty();
    };
  }

  /**
   * Returns why the policy variables in {@code value} are malformed — a <code>${</code> without its
   * closing brace, or an empty <code>${}</code> — or empty when they are well formed (or absent).
   */
  public static Optional<String> variableProblem(String value) {
    int i = 0;
    while (true) {
      int start = value.indexOf("${", i);
      if (start < 0) {
        return Optional.empty();
      }
      int end = value.indexOf('}', start + 2);
      if (end < 0) {
        return Optional.of(
            String.format(
                "policy variable [%s] is not closed; write ${key} (such as ${aws:username}); an"
                    + " unclosed ${ is literal text, so the value matches only itself",
                clip(value.substring(start))));
      }
      if (value.substring(start + 2, end).isBlank()) {
        return Optional.of(
            String.format(
                "policy variable [%s] names no key; write ${key} (such as ${aws:username})",
                clip(value.substring(start, end + 1))));
      }
      i = end + 1;
    }
  }

  private static String variableNote(String value) {
    return value.contains("${")
        ? "; IAM does not substitute policy variables in this operator, so ${…} is literal text"
        : "";
  }

  private static String clip(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }

  /** Returns whether {@code value} is {@code true} or {@code false}, in any case. */
  public static boolean isBoolean(String value) {
    return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
  }

  /**
   * Parses a number: an optionally signed integer or decimal (an exponent is accepted too); {@link
   * Double#NaN} when the text is not a number, including {@code NaN} and {@code Infinity}.
   */
  public static double parseNumber(String s) {
    int n = s.length();
    if (n == 0 || n > MAX_NUMBER_LENGTH) {
      return Double.NaN;
    }
    long value = 0;
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    if (i == n) {
      return Double.NaN;
    }
    boolean simple = n - i <= 18;
    for (int j = i; j < n && simple; j++) {
      char c = s.charAt(j);
      if (c < '0' || c > '9') {
        simple = false;
      } else {
        value = value * 10 + (c - '0');
      }
    }
    if (simple) {
      return negative ? -value : value;
    }
    boolean digit = false;
    for (int j = i; j < n; j++) {
      char c = s.charAt(j);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (!(c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
        return Double.NaN;
      }
    }
    if (!digit) {
      return Double.NaN;
    }
    try {
      double d = Double.parseDouble(s);
      return Double.isInfinite(d) ? Double.NaN : d;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * Parses a date to epoch milliseconds: epoch seconds (digits only), or a W3C profile of ISO 8601
   * ({@code YYYY-MM}, {@code YYYY-MM-DD}, {@code YYYY-MM-DDThh:mm[:ss[.s]]} with {@code Z}, an
   * offset, or — read as UTC — none); {@link #NOT_A_DATE} when it is none of these.
   */
  public static long parseDate(String s) {
    if (s.isEmpty() || s.length() > 40) {
      return NOT_A_DATE;
    }
    boolean digits = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
    }
    if (digits) {
      return s.length() > 15 ? NOT_A_DATE : Long.parseLong(s) * 1000L;
    }
    try {
      if (s.length() == 7) {
        return YearMonth.parse(s).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
      }
      int t = s.indexOf('T');
      if (t != 10) {
        return NOT_A_DATE;
      }
      String upper = s.toUpperCase(Locale.ROOT);
      char last = upper.charAt(upper.length() - 1);
      if (last == 'Z' || upper.indexOf('+', t) > 0 || upper.indexOf('-', t) > 0) {
        return OffsetDateTime.parse(upper).toInstant().toEpochMilli();
      }
      return LocalDateTime.parse(upper).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      return NOT_A_DATE;
    }
  }

  /** Decodes base64 text; null when it is not base64. */
  public static byte @Nullable [] decodeBase64(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Splits an ARN (or ARN pattern) into its six parts; null if it has fewer than six. */
  public static String @Nullable [] arnParts(String s) {
    String[] out = new String[6];
    int from = 0;
    for (int i = 0; i < 5; i++) {
      int c = s.indexOf(':', from);
      if (c < 0) {
        return null;
      }
      out[i] = s.substring(from, c);
      from = c + 1;
    }
    out[5] = s.substring(from);
    return out;
  }
}
