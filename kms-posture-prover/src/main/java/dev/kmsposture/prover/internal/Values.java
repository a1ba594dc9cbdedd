package dev.kmsposture.prover.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How core's evaluator reads condition values (numbers, dates, IP addresses and CIDR blocks,
 * base64, ARN parts) and matches wildcards. The prover must read policy constants exactly as the
 * evaluator does, and core keeps these readers package-private, so they are restated here; the
 * witness replay tests catch any drift between the two.
 */
final class Values {
  private Values() {}

  /**
   * Parses a number as the evaluator does: an optionally signed integer or decimal (an exponent is
   * accepted); NaN when the text is not a number, including infinities.
   */
  static double parseNumber(String s) {
    int n = s.length();
    if (n == 0 || n > 64) {
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

  /** Returned by {@link #parseDate(String)} for a value that is not a date. */
  static final long NOT_A_DATE = Long.MIN_VALUE;

  /**
   * Parses a date to epoch milliseconds as the evaluator does: epoch seconds (at most 15 digits),
   * or a W3C profile of ISO 8601 ({@code YYYY-MM}, {@code YYYY-MM-DD}, {@code
   * YYYY-MM-DDThh:mm[:ss[.s]]} with {@code Z}, an offset, or none for UTC); {@link #NOT_A_DATE}
   * otherwise.
   */
  static long parseDate(String s) {
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

  /** The largest epoch-seconds text the evaluator reads: 15 digits, in milliseconds. */
  static final long MAX_EPOCH_MILLIS = 999_999_999_999_999_000L;

  /**
   * The instants an ISO 8601 text can name: a local date-time of the years 0000 to 9999, at an
   * offset of up to 18 hours either way.
   */
  static final long MIN_ISO_MILLIS =
      OffsetDateTime.of(0, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(18)).toInstant().toEpochMilli();

  static final long MAX_ISO_MILLIS =
      OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000, ZoneOffset.ofHours(-18))
          .toInstant()
          .toEpochMilli();

  /**
   * Text that the evaluator reads back as {@code millis}: epoch seconds when whole and
   * non-negative, else ISO 8601, at an offset when the instant lies outside the years 0000 to 9999
   * in UTC.
   */
  static String renderDate(long millis) {
    if (millis >= 0 && millis % 1000 == 0 && millis <= MAX_EPOCH_MILLIS) {
      return Long.toString(millis / 1000);
    }
    Instant instant = Instant.ofEpochMilli(millis);
    ZoneOffset offset = ZoneOffset.UTC;
    int year = instant.atOffset(ZoneOffset.UTC).getYear();
    if (year < 0) {
      offset = ZoneOffset.ofHours(18);
    } else if (year > 9999) {
      offset = ZoneOffset.ofHours(-18);
    }
    return instant.atOffset(offset).format(ISO);
  }

  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);

  /** Text that the evaluator reads back as {@code value} (a finite double). */
  static String renderNumber(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "not-a-number";
    }
    return Double.toString(value);
  }

  /** Whether {@code value} is {@code true} or {@code false} in any case (what Bool compares). */
  static boolean isBoolean(String value) {
    return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
  }

  /** Splits an ARN (or ARN pattern) into its six parts at the first five colons; null if fewer. */
  static String @Nullable [] arnParts(String s) {
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

  /** A CIDR block: the network address (4 or 16 bytes) and the prefix length. */
  @SuppressWarnings("ArrayRecordComponent") // equals and hashCode compare the contents; internal
  record Cidr(byte[] network, int prefix) {
    boolean isIpv4() {
      return network.length == 4;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
      return Arrays.toString(network) + "/" + prefix;
    }
  }

  /** Parses {@code a.b.c.d[/n]} or an IPv6 address with an optional {@code /n}; null if invalid. */
  static @Nullable Cidr parseCidr(String text) {
    int slash = text.indexOf('/');
    String addr = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = parseAddress(addr);
    if (bytes == null) {
      return null;
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = text.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3) {
        return null;
      }
      prefix = 0;
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c < '0' || c > '9') {
          return null;
        }
        prefix = prefix * 10 + (c - '0');
      }
      if (prefix > max) {
        return null;
      }
    }
    return new Cidr(bytes, prefix);
  }

  /** Parses a literal IPv4 or IPv6 address into 4 or 16 bytes; null if it is not one. */
  static byte @Nullable [] parseAddress(String s) {
    return s.indexOf(':') >= 0 ? parseIpv6(s) : parseIpv4(s, 0, s.length());
  }

  private static byte @Nullable [] parseIpv4(String s, int from, int to) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = from; i <= to; i++) {
      char c = i < to ? s.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static byte @Nullable [] parseIpv6(String s) {
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    int i = 0;
    int n = s.length();
    if (n >= 2 && s.startsWith("::")) {
      gap = 0;
      i = 2;
      if (n == 2) {
        return new byte[16];
      }
    } else if (n > 0 && s.charAt(0) == ':') {
      return null;
    }
    while (i < n) {
      int start = i;
      int value = 0;
      while (i < n && isHex(s.charAt(i))) {
        value = value * 16 + Character.digit(s.charAt(i), 16);
        i++;
        if (i - start > 4) {
          return null;
        }
      }
      if (i < n && s.charAt(i) == '.') {
        byte[] v4 = parseIpv4(s, start, n);
        if (v4 == null || count > 6) {
          return null;
        }
        groups[count++] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
        groups[count++] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
        i = n;
        break;
      }
      if (i == start || count >= 8) {
        return null;
      }
      groups[count++] = value;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = count;
        i++;
        if (i == n) {
          break;
        }
      } else if (i == n) {
        return null;
      }
    }
    if (gap < 0 && count != 8) {
      return null;
    }
    if (gap >= 0 && count > 7) {
      return null;
    }
    int[] full = new int[8];
    if (gap < 0) {
      full = groups;
    } else {
      int tail = count - gap;
      System.arraycopy(groups, 0, full, 0, gap);
      System.arraycopy(groups, gap, full, 8 - tail, tail);
    }
    byte[] out = new byte[16];
    for (int g = 0; g < 8; g++) {
      out[2 * g] = (byte) (full[g] >> 8);
      out[2 * g + 1] = (byte) full[g];
    }
    return out;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Renders 4 address bytes as dotted decimal. */
  static String renderIpv4(byte[] b) {
    return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
  }

  /** Renders 16 address bytes as eight hexadecimal groups. */
  static String renderIpv6(byte[] b) {
    StringBuilder sb = new StringBuilder(40);
    for (int g = 0; g < 8; g++) {
      if (g > 0) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(((b[2 * g] & 0xFF) << 8) | (b[2 * g + 1] & 0xFF)));
    }
    return sb.toString();
  }

  /** Decodes base64 as the evaluator does (the basic decoder); null if invalid. */
  static byte @Nullable [] decodeBase64(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /**
   * Every text the basic base64 decoder reads as {@code bytes}: the canonical encoding with and
   * without padding, and the variants whose last character differs only in bits the decoder drops.
   * Every other character of such a text is fixed by the bytes, so trying each alphabet character
   * in the last position (with each padding) finds them all.
   */
  static Set<String> base64Encodings(byte[] bytes) {
    Set<String> out = new LinkedHashSet<>();
    String canonical = Base64.getEncoder().encodeToString(bytes);
    out.add(canonical);
    String bare = canonical.replace("=", "");
    if (bare.isEmpty()) {
      return out;
    }
    String head = bare.substring(0, bare.length() - 1);
    int pad = canonical.length() - bare.length();
    for (int c = 0; c < ALPHABET.length(); c++) {
      for (int p = 0; p <= pad; p++) {
        String candidate = head + ALPHABET.charAt(c) + "=".repeat(p);
        byte[] decoded = decodeBase64(candidate);
        if (decoded != null && Arrays.equals(decoded, bytes)) {
          out.add(candidate);
        }
      }
    }
    return out;
  }

  /**
   * Whether {@code text} matches the IAM wildcard {@code pattern} ({@code *} any run, {@code ?} one
   * character), as core's glob matcher decides it.
   */
  static boolean globMatches(String pattern, String text, boolean ignoreCase) {
    int patternLength = pattern.length();
    int p = 0;
    int t = 0;
    int star = -1;
    int starText = 0;
    while (t < text.length()) {
      if (p < patternLength) {
        char c = pattern.charAt(p);
        if (c == '*') {
          star = p++;
          starText = t;
          continue;
        }
        if (c == '?' || sameChar(c, text.charAt(t), ignoreCase)) {
          p++;
          t++;
          continue;
        }
      }
      if (star < 0) {
        return false;
      }
      p = star + 1;
      t = ++starText;
    }
    while (p < patternLength && pattern.charAt(p) == '*') {
      p++;
    }
    return p == patternLength;
  }

  /** Whether {@code text} holds a {@code *} or {@code ?}. */
  static boolean hasWildcard(String text) {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
  }

  /**
   * The per-character rule of {@code String.equalsIgnoreCase} and of core's glob matcher with
   * letter case ignored: equal, equal after upper-casing, or equal after upper- then lower-casing.
   */
  static boolean sameChar(char a, char b, boolean ignoreCase) {
    if (a == b) {
      return true;
    }
    if (!ignoreCase) {
      return false;
    }
    char upperA = Character.toUpperCase(a);
    char upperB = Character.toUpperCase(b);
    return upperA == upperB || Character.toLowerCase(upperA) == Character.toLowerCase(upperB);
  }
}
