package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyCallerBuilderTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/app";
  private static final Instant FIRST = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("2026-11-27T00:00:00Z");

  @Test
  void build_everyPart_equalsTheCanonicalConstructor() {
    // when
    KeyCaller built =
        KeyCaller.builder()
            .principalArn(ROLE)
            .service("s3.amazonaws.com")
            .serviceEvidence("encryptionContext:aws:s3:arn")
            .operations(List.of("GenerateDataKey"))
            .addOperation("Decrypt")
            .eventCount(12)
            .firstSeen(FIRST)
            .lastSeen(LAST)
            .build();

    // then
    assertThat(built)
        .isEqualTo(
            new KeyCaller(
                ROLE,
                "s3.amazonaws.com",
                "encryptionContext:aws:s3:arn",
                List.of("Decrypt", "GenerateDataKey"),
                12,
                FIRST,
                LAST));
    assertThat(built.operations()).containsExactly("Decrypt", "GenerateDataKey");
  }

  @Test
  void build_serviceOnly_isAnAwsServiceActingAlone() {
    KeyCaller c =
        KeyCaller.builder()
            .service(KeyCaller.UNIDENTIFIED_SERVICE)
            .eventCount(1)
            .firstSeen(FIRST)
            .lastSeen(FIRST)
            .build();

    assertThat(c.principalArn()).isNull();
    assertThat(c.operations()).isEmpty();
    assertThat(c.isUnidentifiedService()).isTrue();
  }

  @Test
  void toBuilder_build_roundTrips() {
    KeyCaller c =
        KeyCaller.builder()
            .principalArn(ROLE)
            .addOperation("Decrypt")
            .eventCount(3)
            .firstSeen(FIRST)
            .lastSeen(LAST)
            .build();

    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c.toBuilder().eventCount(4).build().eventCount()).isEqualTo(4);
  }

  @Test
  void eventCount_belowOne_failsWithTheValue() {
    assertThatThrownBy(() -> KeyCaller.builder().eventCount(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key caller eventCount [0] is below 1; a caller has events");
  }

  @Test
  void build_withoutPrincipalOrService_failsNamingBothSetters() {
    assertThatThrownBy(
            () -> KeyCaller.builder().eventCount(1).firstSeen(FIRST).lastSeen(LAST).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "key caller has neither a principal ARN nor a service; set principalArn(...) or"
                + " service(...) before build()");
  }

  @Test
  void build_withoutEventCount_failsNamingTheSetter() {
    assertThatThrownBy(
            () -> KeyCaller.builder().principalArn(ROLE).firstSeen(FIRST).lastSeen(LAST).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("key caller has no event count; set it with eventCount(...) before build()");
  }

  @Test
  void build_withoutDates_failsNamingTheSetter() {
    assertThatThrownBy(
            () -> KeyCaller.builder().principalArn(ROLE).eventCount(1).lastSeen(LAST).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "key caller has no first event date; set it with firstSeen(...) before build()");
    assertThatThrownBy(
            () -> KeyCaller.builder().principalArn(ROLE).eventCount(1).firstSeen(FIRST).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("key caller has no last event date; set it with lastSeen(...) before build()");
  }

  @Test
  void build_lastBeforeFirst_failsAsTheConstructorDoes() {
    assertThatThrownBy(
            () ->
                KeyCaller.builder()
                    .principalArn(ROLE)
                    .eventCount(1)
                    .firstSeen(LAST)
                    .lastSeen(FIRST)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key caller lastSeen [2026-11-01T00:00:00Z] is before firstSeen"
                + " [2026-11-27T00:00:00Z]; expected lastSeen >= firstSeen");
  }
}
