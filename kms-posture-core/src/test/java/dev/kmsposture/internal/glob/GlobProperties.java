package dev.kmsposture.internal.glob;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class GlobProperties {

  // A deliberately small alphabet, with both cases of one letter, so that matches are common.
  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.strings().withChars('a', 'b', 'A', '*', '?', ':').ofMaxLength(8);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars('a', 'b', 'A', 'B', ':', '*').ofMaxLength(10);
  }

  @Property(tries = 2000)
  boolean matches_anyPattern_agreesWithRegexReference(
      @ForAll("patterns") String pattern,
      @ForAll("texts") String text,
      @ForAll boolean ignoreCase) {
    boolean expected = reference(pattern, ignoreCase).matcher(text).matches();
    Statistics.label("matches").collect(expected);
    Statistics.label("matches").coverage(c -> c.check(true).percentage(p -> p > 5));
    return Glob.matches(pattern, text, ignoreCase) == expected;
  }

  @Property
  boolean matches_textAgainstItself_isTrue(
      @ForAll("texts") String text, @ForAll boolean ignoreCase) {
    return Glob.matches(text, text, ignoreCase);
  }

  @Property
  boolean hasWildcard_agreesWithContains(@ForAll("patterns") String text) {
    return Glob.hasWildcard(text) == (text.contains("*") || text.contains("?"));
  }

  // The obvious translation to a regular expression: '*' to ".*", '?' to ".", everything else
  // quoted.
  private static Pattern reference(String glob, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
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
