package dev.kmsposture.internal.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

class MessagesProperties {

  // Any code point, lone surrogates included.
  private static Gen<String> strings(int maxLength) {
    return SourceDSL.strings().allPossible().ofLengthBetween(0, maxLength);
  }

  @Test
  void formatsLikeStringFormat() {
    qt().withExamples(1100)
        .forAll(strings(20), strings(255), SourceDSL.integers().all(), strings(20))
        .checkAssert(
            (before, arg, number, after) -> {
              String safeBefore = before.replace("%", "%%");
              String safeAfter = after.replace("%", "%%");
              String template = safeBefore + "%s and %d%%" + safeAfter;
              assertThat(Messages.format(template, arg, number))
                  .isEqualTo(String.format(Locale.ROOT, template, arg, number));
            });
  }

  @Test
  void rejectsWhatItCannotFormat() {
    assertThatThrownBy(() -> Messages.format("%s %s", "one"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more placeholders");
    assertThatThrownBy(() -> Messages.format("%s", "one", "two"))
        .hasMessageContaining("1 placeholders for 2 arguments");
    assertThatThrownBy(() -> Messages.format("%x", 1)).hasMessageContaining("unsupported");
    assertThatThrownBy(() -> Messages.format("%d", "x")).hasMessageContaining("%d needs");
    assertThatThrownBy(() -> Messages.format("50%", 1)).hasMessageContaining("lone %");
    assertThat(formatNull()).isEqualTo("null");
  }

  @SuppressWarnings("NullAway") // a caller outside null-checked code may still pass null
  private static String formatNull() {
    return Messages.format("%s", (Object) null);
  }
}
