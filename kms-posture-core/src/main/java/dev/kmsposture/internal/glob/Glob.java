package dev.kmsposture.internal.glob;

/**
 * IAM-style wildcard matching: {@code *} matches any run of characters (including none) and {@code
 * ?} matches exactly one character. Every other character matches itself. There is no escape
 * character, as in IAM.
 *
 * <p>The matcher is the classic two-pointer walk that remembers the last {@code *} and backtracks
 * to it on a mismatch. It allocates nothing, uses no regular expressions, and runs in linear time
 * for the patterns policies use in practice (worst case is the product of the two lengths).
 */
public final class Glob {

  private Glob() {}

  /**
   * Returns whether {@code text} matches {@code pattern} in full.
   *
   * @param pattern the pattern, where {@code *} and {@code ?} are wildcards
   * @param text the text, taken literally
   * @param ignoreCase whether letters compare without regard to case, as {@link
   *     String#equalsIgnoreCase} compares them
   */
  public static boolean matches(String pattern, String text, boolean ignoreCase) {
    return matches(pattern, text, 0, text.length(), ignoreCase);
  }

  /**
   * Returns whether the region {@code text[from, to)} matches {@code pattern} in full, without
   * copying the region (the evaluator matches ARN parts in place).
   *
   * @param pattern the pattern, where {@code *} and {@code ?} are wildcards
   * @param text the text, taken literally
   * @param from the first index of the region
   * @param to the index after the region
   * @param ignoreCase whether letters compare without regard to case
   * @throws IndexOutOfBoundsException if the region is not within {@code text}
   */
  public static boolean matches(String pattern, String text, int from, int to, boolean ignoreCase) {
    java.util.Objects.checkFromToIndex(from, to, text.length());
    int patternLength = pattern.length();
    int p = 0;
    int t = from;
    // Position of the last '*' seen in the pattern, and the text position it was tried at.
    int star = -1;
    int starText = from;
    while (t < to) {
      if (p < patternLength) {
        char c = pattern.charAt(p);
        if (c == '*') {
          star = p++;
          starText = t;
          continue;
        }
        if (c == '?' || same(c, text.charAt(t), ignoreCase)) {
          p++;
          t++;
          continue;
        }
      }
      if (star < 0) {
        return false;
      }
      // Let the last '*' swallow one more character and retry from just after it.
      p = star + 1;
      t = ++starText;
    }
    while (p < patternLength && pattern.charAt(p) == '*') {
      p++;
    }
    return p == patternLength;
  }

  /** Returns whether {@code text} contains {@code *} or {@code ?}. */
  public static boolean hasWildcard(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '?') {
        return true;
      }
    }
    return false;
  }

  // The same per-character rule as String.regionMatches(true, ...): equal after upper-casing, or
  // after lower-casing (the second step catches scripts where upper-casing is not one-to-one).
  private static boolean same(char a, char b, boolean ignoreCase) {
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
