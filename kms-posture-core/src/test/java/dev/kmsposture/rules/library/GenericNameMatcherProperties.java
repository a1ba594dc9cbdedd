package dev.kmsposture.rules.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written matchers of generic aliases and descriptions accept exactly what the regular
 * expressions they replace accept, for names built from the expressions' own pieces (so that
 * matches, near misses and backtracking cases are all common) and random characters.
 */
class GenericNameMatcherProperties {
  // The regular expressions the rules used, kept as the oracle.
  private static final Pattern GENERIC_ALIAS =
      Pattern.compile(
          "(my[-_]?)?(new[-_]?)?(test|testing|key|cmk|kms|kms[-_]?key|default|temp|tmp|foo|bar"
              + "|baz|demo|sample|example|dummy|untitled|secret|encryption|encryption[-_]?key"
              + "|master[-_]?key|aws|alias|data[-_]?key)([-_]?\\d+)?");

  private static final Pattern ID_LIKE_ALIAS =
      Pattern.compile(
          "\\d+"
              + "|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
              + "|mrk-[0-9a-f]{32}"
              + "|[0-9a-f]{8,}");

  private static final Pattern GENERIC_DESCRIPTION =
      Pattern.compile(
          "(a |my |the |new |test |kms |customer managed |customer-managed )*"
              + "(test|testing|key|cmk|kms|kms key|kms-key|encryption key|default|description"
              + "|todo|tbd|n/?a|none|null|temp|tmp|foo|bar|demo|sample|example|dummy|placeholder"
              + "|untitled|created by terraform|managed by terraform|key for testing)s?\\.?");

  private static final List<String> ALIAS_PIECES =
      List.of(
          "my",
          "new",
          "-",
          "_",
          "test",
          "testing",
          "key",
          "cmk",
          "kms",
          "default",
          "temp",
          "tmp",
          "foo",
          "bar",
          "baz",
          "demo",
          "sample",
          "example",
          "dummy",
          "untitled",
          "secret",
          "encryption",
          "master",
          "aws",
          "alias",
          "data",
          "0",
          "7",
          "42",
          "a",
          "f",
          "e3",
          "mrk-",
          "x",
          "K",
          "é",
          "٣",
          " ",
          "s",
          "1234abcd",
          "12ab-",
          "ab12");

  private static final List<String> DESCRIPTION_PIECES =
      List.of(
          "a ",
          "my ",
          "the ",
          "new ",
          "test ",
          "kms ",
          "customer managed ",
          "customer-managed ",
          "test",
          "testing",
          "key",
          "cmk",
          "kms",
          "kms key",
          "kms-key",
          "encryption key",
          "default",
          "description",
          "todo",
          "tbd",
          "n",
          "/",
          "a",
          "na",
          "none",
          "null",
          "temp",
          "tmp",
          "foo",
          "bar",
          "demo",
          "sample",
          "example",
          "dummy",
          "placeholder",
          "untitled",
          "created by ",
          "managed by ",
          "terraform",
          "key for testing",
          "s",
          ".",
          " ",
          "x",
          "customer",
          "é");

  private static String name(Random r, List<String> pieces) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      sb.append(pieces.get(r.nextInt(pieces.size())));
    }
    return sb.toString();
  }

  private static final String HEX = "0123456789abcdef";

  // An id-like name or a near miss: a UUID, an mrk- id or a hex run, sometimes with one character
  // changed, dropped or added.
  private static String idLike(Random r) {
    String s =
        switch (r.nextInt(4)) {
          case 0 ->
              hex(r, 8) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 4) + "-" + hex(r, 12);
          case 1 -> "mrk-" + hex(r, 32);
          case 2 -> hex(r, r.nextInt(12));
          default -> String.valueOf(r.nextInt(100_000));
        };
    if (s.isEmpty() || r.nextBoolean()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s);
    int at = r.nextInt(sb.length());
    switch (r.nextInt(3)) {
      case 0 -> sb.setCharAt(at, "g-_Am9".charAt(r.nextInt(6)));
      case 1 -> sb.deleteCharAt(at);
      default -> sb.insert(at, HEX.charAt(r.nextInt(16)));
    }
    return sb.toString();
  }

  private static String hex(Random r, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(HEX.charAt(r.nextInt(16)));
    }
    return sb.toString();
  }

  @Test
  void aliasMatchers_acceptWhatTheRegularExpressionsAccept() {
    int[] generic = new int[1];
    qt().withExamples(20_000)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              String name = r.nextInt(3) == 0 ? idLike(r) : name(r, ALIAS_PIECES);
              boolean expected = GENERIC_ALIAS.matcher(name).matches();
              generic[0] += expected ? 1 : 0;
              assertThat(AliasMissingOrMeaningless.isGeneric(name)).as(name).isEqualTo(expected);
              assertThat(AliasMissingOrMeaningless.isIdLike(name))
                  .as(name)
                  .isEqualTo(ID_LIKE_ALIAS.matcher(name).matches());
            });
    // the generator reaches the matching cases, not only the near misses
    assertThat(generic[0]).isGreaterThan(200);
  }

  @Test
  void descriptionMatcher_acceptsWhatTheRegularExpressionAccepts() {
    int[] generic = new int[1];
    qt().withExamples(20_000)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              String name = name(new Random(seed), DESCRIPTION_PIECES);
              boolean expected = GENERIC_DESCRIPTION.matcher(name).matches();
              generic[0] += expected ? 1 : 0;
              assertThat(DescriptionMissing.isGeneric(name)).as(name).isEqualTo(expected);
            });
    assertThat(generic[0]).isGreaterThan(200);
  }
}
