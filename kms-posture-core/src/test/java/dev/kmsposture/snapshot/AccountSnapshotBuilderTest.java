package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class AccountSnapshotBuilderTest {
  private static final Instant NOW = SnapshotFixtures.NOW;

  @Test
  void toBuilder_ofTheFullFixture_roundTrips() {
    AccountSnapshot full = SnapshotFixtures.full();

    assertThat(full.toBuilder().build()).isEqualTo(full);
    assertThat(full.toBuilder().build().toJson()).isEqualTo(full.toJson());
  }

  @Test
  void build_everyPart_equalsTheCanonicalConstructor() {
    // given
    AccountSnapshot full = SnapshotFixtures.full();
    TrailSnapshot trail = Objects.requireNonNull(full.trails()).get(0);

    // when
    AccountSnapshot built =
        AccountSnapshot.builder()
            .schemaVersion(3)
            .account("111122223333")
            .partition("aws-us-gov")
            .regions(List.of("us-gov-west-1"))
            .addRegion("us-gov-east-1")
            .capturedAt(NOW)
            .keys(full.keys())
            .aliases(List.of())
            .addAlias(new AliasEntry("alias/orders", "us-gov-west-1", null))
            .addTrail(trail)
            .collectionErrors(full.collectionErrors())
            .durationMillis(1234L)
            .inventory(full.inventory())
            .build();

    // then
    assertThat(built)
        .isEqualTo(
            new AccountSnapshot(
                3,
                "111122223333",
                "aws-us-gov",
                List.of("us-gov-west-1", "us-gov-east-1"),
                NOW,
                full.keys(),
                List.of(new AliasEntry("alias/orders", "us-gov-west-1", null)),
                List.of(trail),
                full.collectionErrors(),
                1234L,
                full.inventory()));
  }

  @Test
  void build_requiredOnly_isTheNewestVersionWithNothingCollected() {
    AccountSnapshot s = AccountSnapshot.builder().account("111122223333").capturedAt(NOW).build();

    assertThat(s.schemaVersion()).isEqualTo(AccountSnapshot.SCHEMA_VERSION);
    assertThat(s.partition()).isEqualTo("aws");
    assertThat(s.regions()).isEmpty();
    assertThat(s.keys()).isEmpty();
    assertThat(s.aliases()).isEmpty();
    assertThat(s.trails()).isNull();
    assertThat(s.collectionErrors()).isEmpty();
    assertThat(s.durationMillis()).isNull();
    assertThat(s.inventory()).isNull();
  }

  @Test
  void trails_emptyAndNull_areCollectedNoneAndNotCollected() {
    AccountSnapshot.Builder b = AccountSnapshot.builder().account("111122223333").capturedAt(NOW);

    assertThat(b.trails(List.of()).build().trails()).isEmpty();
    assertThat(b.trails(null).build().trails()).isNull();
  }

  @Test
  void schemaVersion_unsupported_failsWithTheValueAndTheRange() {
    assertThatThrownBy(() -> AccountSnapshot.builder().schemaVersion(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "snapshot schemaVersion [4] is not supported; this version of kms-posture reads 1 to 3");
  }

  @Test
  void account_blank_failsWithTheValue() {
    assertThatThrownBy(() -> AccountSnapshot.builder().account(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("snapshot account id [ ] is blank; expected a 12-digit AWS account id");
  }

  @Test
  void partition_blank_failsWithTheValue() {
    assertThatThrownBy(() -> AccountSnapshot.builder().partition(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("snapshot partition [] is blank; expected a partition such as aws or aws-cn");
  }

  @Test
  void regions_blank_failsWithTheValue() {
    assertThatThrownBy(() -> AccountSnapshot.builder().regions(List.of("us-east-1", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("snapshot region [] is blank; expected a Region such as us-east-1");
  }

  @Test
  void durationMillis_negative_failsWithTheValue() {
    assertThatThrownBy(() -> AccountSnapshot.builder().durationMillis(-1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("snapshot durationMillis [-1] is negative; expected milliseconds >= 0");
  }

  @Test
  void build_withoutAccount_failsNamingTheSetter() {
    assertThatThrownBy(() -> AccountSnapshot.builder().capturedAt(NOW).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("snapshot has no account; set it with account(...) before build()");
  }

  @Test
  void build_withoutCaptureTime_failsNamingTheSetter() {
    assertThatThrownBy(() -> AccountSnapshot.builder().account("111122223333").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("snapshot has no capture time; set it with capturedAt(...) before build()");
  }

  @Test
  void build_inventoryOnAnOldVersion_failsAsTheConstructorDoes() {
    AccountSnapshot.Builder b =
        AccountSnapshot.builder()
            .schemaVersion(2)
            .account("111122223333")
            .capturedAt(NOW)
            .inventory(SnapshotFixtures.full().inventory());

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "[inventory] needs snapshot schemaVersion 3; this snapshot says schemaVersion 2");
  }
}
