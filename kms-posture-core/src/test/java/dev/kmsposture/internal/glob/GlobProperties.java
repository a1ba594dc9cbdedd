package dev.kmsposture.internal.glob;

import static dev.kmsposture.testing.Gens.booleans;
import static dev.kmsposture.testing.Gens.frequency;
import static dev.kmsposture.testing.Gens.strings;
import static dev.kmsposture.testing.Gens.weight;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.testing.Coverage;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class GlobProperties {

  // A deliberately small alphabet, with both cases of one letter, and mostly short strings, so
  // that matches are common.
  private static Gen<String> patterns() {
    return frequency(weight(2, strings("abA*?:", 0, 3)), weight(3, strings("abA*?:", 0, 8)));
  }

  private static Gen<String> texts() {
    return frequency(weight(2, strings("abAB:*", 0, 3)), weight(3, strings("abAB:*", 0, 10)));
  }

  @Test
  void matches_anyPattern_agreesWithRegexReference() {
    Coverage coverage = new Coverage();
    qt().withExamples(2200)
        .forAll(patterns(), texts(), booleans())
        .check(
            (pattern, text, ignoreCase) -> {
              boolean expected = reference(pattern, ignoreCase).matcher(text).matches();
              coverage.collect("matches", expected);
              return Glob.matches(pattern, text, ignoreCase) == expected;
            });
    coverage.requireAbove("matches", true, 5);
    coverage.requireAbove("matches", false, 5);
  }

  @Test
  void matches_textAgainstItself_isTrue() {
    qt().withExamples(1100)
        .forAll(texts(), booleans())
        .check((text, ignoreCase) -> Glob.matches(text, text, ignoreCase));
  }

  @Test
  void hasWildcard_agreesWithContains() {
    qt().withExamples(1100)
        .forAll(patterns())
        .check(text -> Glob.hasWildcard(text) == (text.contains("*") || text.contains("?")));
  }

  // The obvious translation to a regular expression: '*' to ".*", '?' to ".", everything else
  // quoted.
  private static Pattern reference(String glob, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    return Pattern.compile(regex.toString(), flags);
  }
}
