package dev.kmsposture.internal.text;

import java.util.Objects;

/**
 * Formats finding messages: {@code %s} and {@code %d} take the next argument as {@link
 * String#valueOf(Object)} writes it, and {@code %%} is a percent sign. The rule library formats
 * about thirty messages per key, and {@link String#format} (a {@link java.util.Formatter} per call,
 * locale look-ups, localized digits) was a fifth of the rules' cost. Digits are always ASCII here,
 * so messages do not depend on the default locale.
 */
public final class Messages {
  private Messages() {}

  /**
   * Returns {@code template} with its {@code %s} and {@code %d} placeholders replaced by {@code
   * args}, in order.
   *
   * @throws IllegalArgumentException if the template has another conversion, or the number of
   *     placeholders and arguments differ (a bug in the caller)
   */
  public static String format(String template, Object... args) {
    Objects.requireNonNull(template, "template");
    StringBuilder sb = new StringBuilder(template.length() + 16 * args.length);
    int next = 0;
    int n = template.length();
    for (int i = 0; i < n; i++) {
      char c = template.charAt(i);
      if (c != '%') {
        sb.append(c);
        continue;
      }
      if (i + 1 == n) {
        throw new IllegalArgumentException("template ends with a lone %: " + template);
      }
      char conversion = template.charAt(++i);
      if (conversion == '%') {
        sb.append('%');
      } else if (conversion == 's' || conversion == 'd') {
        if (next == args.length) {
          throw new IllegalArgumentException(
              "template has more placeholders than the " + args.length + " arguments: " + template);
        }
        Object arg = args[next++];
        if (conversion == 'd' && !(arg instanceof Integer || arg instanceof Long)) {
          throw new IllegalArgumentException("%d needs an Integer or Long, not " + arg);
        }
        sb.append(arg);
      } else {
        throw new IllegalArgumentException(
            "unsupported conversion %" + conversion + " in template: " + template);
      }
    }
    if (next != args.length) {
      throw new IllegalArgumentException(
          "template has " + next + " placeholders for " + args.length + " arguments: " + template);
    }
    return sb.toString();
  }
}
