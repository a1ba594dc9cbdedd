package dev.kmsposture.internal.glob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

  @ParameterizedTest
  @CsvSource({
    "'', '', true",
    "'', a, false",
    "*, '', true",
    "*, anything, true",
    "**, '', true",
    "?, '', false",
    "?, a, true",
    "?, ab, false",
    "a*, a, true",
    "a*b, ab, true",
    "a*b, axxb, true",
    "a*b, axxbc, false",
    "a*b*c, abbbc, true",
    "a*b*c, acb, false",
    "*ab, aab, true",
    "*a?c, xxabcabd, false",
    "*a?c, xxabcadc, true",
    "kms:*Grant*, kms:ListRetirableGrants, true",
    "kms:Get*, kms:GetPublicKey, true",
    "kms:Get*, kms:ListKeys, false",
    "kms:?ncrypt, kms:Encrypt, true",
    "kms:?ncrypt, kms:Decrypt, false",
    "kms:Decrypt, kms:Decrypt, true",
    "kms:Decrypt, kms:Decrypt2, false",
  })
  void matches_caseSensitive_followsIamWildcards(String pattern, String text, boolean expected) {
    assertThat(Glob.matches(pattern, text, false)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "KMS:get*, kms:GetKeyPolicy, true, true",
    "KMS:get*, kms:GetKeyPolicy, false, false",
    "kms:decrypt, kms:Decrypt, true, true",
    "kms:?NCRYPT, kms:Encrypt, true, true",
  })
  void matches_ignoreCase_comparesLettersCaselessly(
      String pattern, String text, boolean ignoreCase, boolean expected) {
    assertThat(Glob.matches(pattern, text, ignoreCase)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"kms:*, true", "kms:?, true", "kms:Decrypt, false", "'', false", "*, true"})
  void hasWildcard_text_detectsStarAndQuestionMark(String text, boolean expected) {
    assertThat(Glob.hasWildcard(text)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void matches_literalStarInText_isMatchedByStarOrItself() {
    assertThat(Glob.matches("a*", "a*", false)).isTrue();
    assertThat(Glob.matches("ab", "a*", false)).isFalse();
  }

  @Test
  void matches_region_matchesOnlyThePartBetweenTheBounds() {
    String arn = "arn:aws:iam::111122223333:role/App";

    assertThat(Glob.matches("iam", arn, 4, 7, false)).isFalse();
    assertThat(Glob.matches("aws", arn, 4, 7, false)).isTrue();
    assertThat(Glob.matches("1111*", arn, 13, 25, false)).isTrue();
    assertThat(Glob.matches("*3333", arn, 13, 25, false)).isTrue();
    assertThat(Glob.matches("role/*", arn, 26, arn.length(), false)).isTrue();
    assertThat(Glob.matches("ROLE/*", arn, 26, arn.length(), true)).isTrue();
    assertThat(Glob.matches("", arn, 8, 8, false)).isTrue();
  }

  @Test
  void matches_regionOutsideText_throws() {
    assertThatThrownBy(() -> Glob.matches("*", "abc", 2, 5, false))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("Range [2, 5) out of bounds for length 3");
  }
}
