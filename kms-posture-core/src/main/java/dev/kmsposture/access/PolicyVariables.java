package dev.kmsposture.access;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Policy variables ({@code ${aws:username}}, {@code ${aws:PrincipalTag/team}}, any {@code ${key}}
 * of the request context, an optional default {@code ${key, 'default'}}) and the escapes {@code
 * ${*}}, {@code ${?}} and {@code ${$}}. Only policies with {@code "Version": "2012-10-17"} have
 * variables; under 2008-10-17 or without a Version the text is literal (the caller decides).
 *
 * <p>Substituted text marks characters that must be literal — the escapes and the characters of
 * substituted values — with private-use code points, so that a {@code *} from {@code ${*}} or from
 * a user name is not a wildcard. {@link #protect(String)} maps request text the same way before it
 * is matched against such a value.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html">IAM
 *     policy elements: Variables and tags</a>
 */
final class PolicyVariables {
  /** Returned when a variable names a key whose value is unknown (compared by identity). */
  static final String UNKNOWN = new String("unknown");

  private static final char LITERAL_STAR = '\uE000';
  private static final char LITERAL_QUESTION = '\uE001';

  private PolicyVariables() {}

  /**
   * Substitutes the variables in {@code text}; null when a variable has no value and no default
   * (the value then does not match), {@link #UNKNOWN} when a variable's value is unknown.
   */
  static @Nullable String substitute(String text, AccessRequest request) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    int i = 0;
    int n = text.length();
    while (i < n) {
      int start = text.indexOf("${", i);
      int end = start < 0 ? -1 : text.indexOf('}', start + 2);
      if (start < 0 || end < 0) {
        out.append(text, i, n);
        break;
      }
      out.append(text, i, start);
      String inner = text.substring(start + 2, end);
      i = end + 1;
      if (inner.equals("*")) {
        out.append(LITERAL_STAR);
        continue;
      }
      if (inner.equals("?")) {
        out.append(LITERAL_QUESTION);
        continue;
      }
      if (inner.equals("$")) {
        out.append('$');
        continue;
      }
      String key = inner;
      String fallback = null;
      int comma = inner.indexOf(',');
      if (comma >= 0) {
        key = inner.substring(0, comma).trim();
        String d = inner.substring(comma + 1).trim();
        if (d.length() >= 2 && d.charAt(0) == '\'' && d.charAt(d.length() - 1) == '\'') {
          fallback = d.substring(1, d.length() - 1);
        }
      }
      List<String> values = request.lookupLower(key.toLowerCase(Locale.ROOT));
      if (values == AccessRequest.UNKNOWN) {
        return UNKNOWN;
      }
      String value = values != null && values.size() == 1 ? values.get(0) : fallback;
      if (value == null) {
        return null;
      }
      out.append(protect(value));
    }
    return out.toString();
  }

  /** Marks {@code *} and {@code ?} in {@code text} as literal characters. */
  static String protect(String text) {
    if (text.indexOf('*') < 0 && text.indexOf('?') < 0) {
      return text;
    }
    return text.replace('*', LITERAL_STAR).replace('?', LITERAL_QUESTION);
  }

  /** Turns literal marks back into the characters they stand for. */
  static String unprotect(String text) {
    return text.replace(LITERAL_STAR, '*').replace(LITERAL_QUESTION, '?');
  }
}
