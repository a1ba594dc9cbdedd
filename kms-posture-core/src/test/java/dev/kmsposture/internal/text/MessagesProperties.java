package dev.kmsposture.internal.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class MessagesProperties {

  @Property
  void formatsLikeStringFormat(
      @ForAll @StringLength(max = 20) String before,
      @ForAll String arg,
      @ForAll int number,
      @ForAll @StringLength(max = 20) String after) {
    String safeBefore = before.replace("%", "%%");
    String safeAfter = after.replace("%", "%%");
    String template = safeBefore + "%s and %d%%" + safeAfter;
    assertThat(Messages.format(template, arg, number))
        .isEqualTo(String.format(Locale.ROOT, template, arg, number));
  }

  @Example
  void rejectsWhatItCannotFormat() {
    assertThatThrownBy(() -> Messages.format("%s %s", "one"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more placeholders");
    assertThatThrownBy(() -> Messages.format("%s", "one", "two"))
        .hasMessageContaining("1 placeholders for 2 arguments");
    assertThatThrownBy(() -> Messages.format("%x", 1)).hasMessageContaining("unsupported");
    assertThatThrownBy(() -> Messages.format("%d", "x")).hasMessageContaining("%d needs");
    assertThatThrownBy(() -> Messages.format("50%", 1)).hasMessageContaining("lone %");
    assertThat(Messages.format("%s", (Object) null)).isEqualTo("null");
  }
}
