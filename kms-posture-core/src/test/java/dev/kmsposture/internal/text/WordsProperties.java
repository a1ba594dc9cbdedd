package dev.kmsposture.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

class WordsProperties {

  // The regular-expression definition the helper replaces. Only ASCII input: toLowerCase of some
  // non-ASCII letters yields ASCII letters (the Kelvin sign becomes k), which the helper treats as
  // separators, as the rules always did after lower-casing ASCII names.
  @Property
  void sameWordsAsTheRegularExpression(
      @ForAll
          @Chars({'a', 'B', 'z', 'Z', '0', '9', '-', '_', ' ', '/', '.', '='})
          @StringLength(max = 40)
          String text) {
    List<String> expected =
        Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
            .filter(w -> !w.isEmpty())
            .toList();
    assertThat(Words.lowerCase(text)).isEqualTo(expected);
    assertThat(Words.lowerCaseJoined(text))
        .isEqualTo(text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", ""));
  }

  @Example
  void splitsAliasesAndDescriptions() {
    assertThat(Words.lowerCase("alias/Prod-Customer_PII"))
        .containsExactly("alias", "prod", "customer", "pii");
    assertThat(Words.lowerCase("")).isEmpty();
    assertThat(Words.lowerCase("--")).isEmpty();
    assertThat(Words.lowerCase("Für S3 café")).containsExactly("f", "r", "s3", "caf");
    assertThat(Words.lowerCaseJoined("Secrets Manager")).isEqualTo("secretsmanager");
  }
}
