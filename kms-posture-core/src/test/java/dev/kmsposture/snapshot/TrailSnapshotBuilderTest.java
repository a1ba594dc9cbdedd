package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrailSnapshotBuilderTest {
  private static final TrailSnapshot.EventSelector ALL =
      new TrailSnapshot.EventSelector("All", true, List.of());
  private static final TrailSnapshot.AdvancedEventSelector KMS =
      new TrailSnapshot.AdvancedEventSelector(
          "kms", List.of(TrailSnapshot.FieldSelector.builder().field("eventCategory").build()));

  @Test
  void build_everyPart_equalsTheCanonicalConstructor() {
    // when
    TrailSnapshot built =
        TrailSnapshot.builder()
            .name("management")
            .homeRegion("eu-west-1")
            .multiRegion(true)
            .organization(true)
            .logging(false)
            .eventSelectors(List.of(ALL))
            .addAdvancedEventSelector(KMS)
            .build();

    // then
    assertThat(built)
        .isEqualTo(
            new TrailSnapshot(
                "management", "eu-west-1", true, true, false, List.of(ALL), List.of(KMS)));
  }

  @Test
  void build_requiredOnly_isASingleRegionTrailWithUnknownLogging() {
    TrailSnapshot t = TrailSnapshot.builder().name("t").homeRegion("us-east-1").build();

    assertThat(t.multiRegion()).isFalse();
    assertThat(t.organization()).isFalse();
    assertThat(t.logging()).isNull();
    assertThat(t.eventSelectors()).isEmpty();
    assertThat(t.advancedEventSelectors()).isEmpty();
  }

  @Test
  void toBuilder_build_roundTrips() {
    TrailSnapshot t =
        TrailSnapshot.builder()
            .name("t")
            .homeRegion("us-east-1")
            .addEventSelector(ALL)
            .advancedEventSelectors(List.of(KMS))
            .build();

    assertThat(t.toBuilder().build()).isEqualTo(t);
    assertThat(t.toBuilder().eventSelectors(List.of()).build().eventSelectors()).isEmpty();
    assertThat(t.eventSelectors()).containsExactly(ALL);
  }

  @Test
  void name_blank_failsWithTheValue() {
    assertThatThrownBy(() -> TrailSnapshot.builder().name(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trail name [ ] is blank; expected the trail's name or ARN");
  }

  @Test
  void homeRegion_blank_failsWithTheValue() {
    assertThatThrownBy(() -> TrailSnapshot.builder().homeRegion(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trail home Region [] is blank; expected a Region such as us-east-1");
  }

  @Test
  void build_withoutName_failsNamingTheSetter() {
    assertThatThrownBy(() -> TrailSnapshot.builder().homeRegion("us-east-1").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("trail has no name; set it with name(...) before build()");
  }

  @Test
  void build_withoutHomeRegion_failsNamingTheSetter() {
    assertThatThrownBy(() -> TrailSnapshot.builder().name("t").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("trail has no home Region; set it with homeRegion(...) before build()");
  }
}
