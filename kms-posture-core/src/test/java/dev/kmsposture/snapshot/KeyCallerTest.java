package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyCallerTest {
  private static final Instant T1 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-02T00:00:00Z");

  @Test
  void new_operations_areSortedAndDistinct() {
    KeyCaller caller =
        new KeyCaller(
            "arn:aws:iam::111122223333:role/app",
            null,
            null,
            List.of("GenerateDataKey", "Decrypt", "Decrypt"),
            3,
            T1,
            T2);

    assertThat(caller.operations()).containsExactly("Decrypt", "GenerateDataKey");
    assertThat(caller.isUnidentifiedService()).isFalse();
  }

  @Test
  void new_bareInternalService_isUnidentified() {
    KeyCaller caller =
        new KeyCaller(
            null, KeyCaller.UNIDENTIFIED_SERVICE, "invokedBy", List.of("Decrypt"), 1, T1, T1);

    assertThat(caller.isUnidentifiedService()).isTrue();
  }

  @Test
  void new_neitherPrincipalNorService_isRejected() {
    assertThatThrownBy(() -> new KeyCaller(null, null, null, List.of("Decrypt"), 1, T1, T1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a key caller needs a principalArn or a service; CloudTrail named neither");
  }

  @Test
  void new_zeroEvents_isRejected() {
    assertThatThrownBy(
            () -> new KeyCaller("arn:aws:iam::111122223333:root", null, null, List.of(), 0, T1, T1))
        .hasMessage("key caller eventCount [0] is below 1; a caller has events");
  }

  @Test
  void new_lastSeenBeforeFirstSeen_isRejected() {
    assertThatThrownBy(
            () -> new KeyCaller("arn:aws:iam::111122223333:root", null, null, List.of(), 1, T2, T1))
        .hasMessage(
            "key caller lastSeen [2026-11-01T00:00:00Z] is before firstSeen"
                + " [2026-11-02T00:00:00Z]; expected lastSeen >= firstSeen");
  }
}
