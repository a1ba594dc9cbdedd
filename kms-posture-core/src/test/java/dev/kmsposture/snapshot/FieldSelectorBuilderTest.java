package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.snapshot.TrailSnapshot.FieldSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldSelectorBuilderTest {

  @Test
  void build_everyOperator_landsInItsComponent() {
    // when
    FieldSelector built =
        FieldSelector.builder()
            .field("eventSource")
            .equalsValues(List.of("a"))
            .notEquals(List.of("b"))
            .startsWith(List.of("c"))
            .notStartsWith(List.of("d"))
            .endsWith(List.of("e"))
            .notEndsWith(List.of("f"))
            .build();

    // then
    assertThat(built)
        .isEqualTo(
            new FieldSelector(
                "eventSource",
                List.of("a"),
                List.of("b"),
                List.of("c"),
                List.of("d"),
                List.of("e"),
                List.of("f")));
  }

  @Test
  void build_fieldOnly_hasNoValues() {
    FieldSelector f = FieldSelector.builder().field("readOnly").build();

    assertThat(f.equalsValues()).isEmpty();
    assertThat(f.notEquals()).isEmpty();
    assertThat(f.startsWith()).isEmpty();
    assertThat(f.notStartsWith()).isEmpty();
    assertThat(f.endsWith()).isEmpty();
    assertThat(f.notEndsWith()).isEmpty();
  }

  @Test
  void toBuilder_build_roundTrips() {
    FieldSelector f =
        FieldSelector.builder()
            .field("eventSource")
            .notEquals(List.of("kms.amazonaws.com"))
            .build();

    assertThat(f.toBuilder().build()).isEqualTo(f);
    assertThat(f.toBuilder().notEquals(List.of()).build().notEquals()).isEmpty();
  }

  @Test
  void field_blank_failsWithTheValue() {
    assertThatThrownBy(() -> FieldSelector.builder().field(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("field selector field [ ] is blank; expected a field such as eventSource");
  }

  @Test
  void build_withoutField_failsNamingTheSetter() {
    assertThatThrownBy(() -> FieldSelector.builder().equalsValues(List.of("Management")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("field selector has no field; set it with field(...) before build()");
  }
}
