package dev.kmsposture.internal.text;

import static dev.kmsposture.testing.Gens.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class WordsProperties {

  // The regular-expression definition the helper replaces. Only ASCII input: toLowerCase of some
  // non-ASCII letters yields ASCII letters (the Kelvin sign becomes k), which the helper treats as
  // separators, as the rules always did after lower-casing ASCII names.
  @Test
  void sameWordsAsTheRegularExpression() {
    qt().withExamples(1100)
        .forAll(strings("aBzZ09-_ /.=", 0, 40))
        .checkAssert(
            text -> {
              List<String> expected =
                  Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
                      .filter(w -> !w.isEmpty())
                      .toList();
              assertThat(Words.lowerCase(text)).isEqualTo(expected);
              assertThat(Words.lowerCaseJoined(text))
                  .isEqualTo(text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", ""));
            });
  }

  @Test
  void splitsAliasesAndDescriptions() {
    assertThat(Words.lowerCase("alias/Prod-Customer_PII"))
        .containsExactly("alias", "prod", "customer", "pii");
    assertThat(Words.lowerCase("")).isEmpty();
    assertThat(Words.lowerCase("--")).isEmpty();
    assertThat(Words.lowerCase("Für S3 café")).containsExactly("f", "r", "s3", "caf");
    assertThat(Words.lowerCaseJoined("Secrets Manager")).isEqualTo("secretsmanager");
  }
}
