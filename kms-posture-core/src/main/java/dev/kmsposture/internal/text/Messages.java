package dev.kmsposture.internal.text;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Formats finding messages: {@code %s} and {@code %d} take the next argument as {@link
 * String#valueOf(Object)} writes it, and {@code %%} is a percent sign. The rule library formats
 * about thirty messages per key, and {@link String#format} (a {@link java.util.Formatter} per call,
 * locale look-ups, localized digits) was a fifth of the rules' cost. Digits are always ASCII here,
 * so messages do not depend on the default locale.
 */
public final class Messages {
  private static final String[] NO_TEXTS = new String[0];

  private Messages() {}

  /**
   * Returns {@code template} with its {@code %s} and {@code %d} placeholders replaced by {@code
   * args}, in order.
   *
   * @throws IllegalArgumentException if the template has another conversion, or the number of
   *     placeholders and arguments differ (a bug in the caller)
   */
  public static String format(String template, Object... args) {
    return render(template, args, true);
  }

  /**
   * Checks that {@code template} suits {@code args} as {@link #format} needs, without rendering.
   *
   * @throws IllegalArgumentException as {@link #format} does
   */
  public static void check(String template, Object... args) {
    render(template, args, false);
  }

  private static String render(String template, Object[] args, boolean write) {
    Objects.requireNonNull(template, "template");
    // Convert the arguments first so the builder is sized once, then copy the template in runs
    // between placeholders rather than a character at a time.
    String[] texts = write ? new String[args.length] : NO_TEXTS;
    int length = template.length();
    if (write) {
      for (int i = 0; i < args.length; i++) {
        texts[i] = String.valueOf(args[i]);
        length += texts[i].length();
      }
    }
    @Nullable StringBuilder sb = write ? new StringBuilder(length) : null;
    int next = 0;
    int n = template.length();
    int from = 0;
    while (true) {
      int pct = template.indexOf('%', from);
      if (pct < 0) {
        if (sb != null) {
          sb.append(template, from, n);
        }
        break;
      }
      if (sb != null) {
        sb.append(template, from, pct);
      }
      if (pct + 1 == n) {
        throw new IllegalArgumentException("template ends with a lone %: " + template);
      }
      char conversion = template.charAt(pct + 1);
      if (conversion == '%') {
        if (sb != null) {
          sb.append('%');
        }
      } else if (conversion == 's' || conversion == 'd') {
        if (next == args.length) {
          throw new IllegalArgumentException(
              "template has more placeholders than the " + args.length + " arguments: " + template);
        }
        Object arg = args[next];
        if (conversion == 'd' && !(arg instanceof Integer || arg instanceof Long)) {
          throw new IllegalArgumentException("%d needs an Integer or Long, not " + arg);
        }
        if (sb != null) {
          sb.append(texts[next]);
        }
        next++;
      } else {
        throw new IllegalArgumentException(
            "unsupported conversion %" + conversion + " in template: " + template);
      }
      from = pct + 2;
    }
    if (next != args.length) {
      throw new IllegalArgumentException(
          "template has " + next + " placeholders for " + args.length + " arguments: " + template);
    }
    return sb != null ? sb.toString() : "";
  }
}
