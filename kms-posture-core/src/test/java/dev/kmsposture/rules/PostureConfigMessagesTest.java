package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Configuration errors name the setting (a JSON Pointer) or the line, and say what is expected in
 * words, never in Jackson's (Java types, features, an echo of the input).
 */
class PostureConfigMessagesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unusedDays: thirty | configuration setting at /unusedDays is not valid: expected a whole"
            + " number, got [thirty]",
        "unusedDays: [1, 2] | configuration setting at /unusedDays is not valid: expected a whole"
            + " number, got an array",
        "requiredTags: {a: b} | configuration setting at /requiredTags is not valid: expected an"
            + " array, got an object",
        "suppressions: [{ruleId: KeyUnused, keyPattern: '*', reason: r, expires: soon}]"
            + " | configuration setting at /suppressions/0/expires is not valid: [soon] is not a"
            + " date-time",
        "suppressions: [{ruleId: KeyUnused, keyPattern: '*', reason: r, colour: red}]"
            + " | configuration setting at /suppressions/0/colour is not valid: unknown field"
            + " [colour]; known fields: [",
        "'unusedDays: 5\nunusedDays: 9' | configuration is not valid YAML or JSON: malformed YAML"
            + " or JSON at line 2, column ",
        "'unusedDays: [1, 2' | configuration is not valid YAML or JSON: malformed YAML or JSON at"
            + " line "
      })
  void parse_badValue_saysWhereAndWhatInWords(String yaml, String expectedStart) {
    assertThatThrownBy(() -> PostureConfig.parse(yaml.replace("\\n", "\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(expectedStart)
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(e.getMessage())
                    .doesNotContain("java.")
                    .doesNotContain("`")
                    .doesNotContain("FAIL_ON")
                    .doesNotContain("Source:")
                    .doesNotContain("\n"));
  }
}
