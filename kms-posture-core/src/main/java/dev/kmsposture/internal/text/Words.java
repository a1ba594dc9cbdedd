package dev.kmsposture.internal.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits names, tags and descriptions into lower-case words without regular expressions: rules do
 * this for every key of a snapshot, and {@code toLowerCase().split("[^a-z0-9]+")} compiled a
 * pattern and copied the text each time.
 */
public final class Words {
  private Words() {}

  /**
   * Returns the maximal runs of ASCII letters and digits in {@code text}, lower-cased: the same
   * words as {@code text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")} without its empty leading
   * word. Letters outside ASCII separate words.
   */
  public static List<String> lowerCase(String text) {
    List<String> out = new ArrayList<>(4);
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && !isWordChar(text.charAt(i))) {
        i++;
      }
      int start = i;
      boolean upper = false;
      while (i < n && isWordChar(text.charAt(i))) {
        char c = text.charAt(i);
        upper |= c >= 'A' && c <= 'Z';
        i++;
      }
      if (i > start) {
        String word = text.substring(start, i);
        out.add(upper ? lower(word) : word);
      }
    }
    return out;
  }

  /**
   * Returns the ASCII letters and digits of {@code text}, lower-cased and joined: "Secrets Manager"
   * becomes "secretsmanager".
   */
  public static String lowerCaseJoined(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isWordChar(c)) {
        sb.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
      }
    }
    return sb.toString();
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static String lower(String word) {
    char[] chars = word.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (c >= 'A' && c <= 'Z') {
        chars[i] = (char) (c + ('a' - 'A'));
      }
    }
    return new String(chars);
  }
}
