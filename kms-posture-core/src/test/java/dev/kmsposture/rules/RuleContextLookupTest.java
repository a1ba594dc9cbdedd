package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import dev.kmsposture.snapshot.MultiRegionConfiguration.MultiRegionKey;
import dev.kmsposture.testing.TestKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The look-ups a custom rule uses to find a key's relatives in the snapshot. */
class RuleContextLookupTest {
  private static final String ID = "mrk-1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6";
  private static final String PRIMARY = "arn:aws:kms:us-east-1:111122223333:key/" + ID;
  private static final String WEST = "arn:aws:kms:us-west-2:111122223333:key/" + ID;
  private static final String EU = "arn:aws:kms:eu-west-1:111122223333:key/" + ID;
  private static final String ASIA = "arn:aws:kms:ap-southeast-1:111122223333:key/" + ID;

  private static final List<MultiRegionKey> REPLICAS =
      List.of(
          new MultiRegionKey(WEST, "us-west-2"),
          new MultiRegionKey(EU, "eu-west-1"),
          new MultiRegionKey(ASIA, "ap-southeast-1"));

  private static KeySnapshot key(String arn, String type) {
    var config =
        new MultiRegionConfiguration(
            type,
            new MultiRegionKey(PRIMARY, "us-east-1"),
            type.equals("PRIMARY") ? REPLICAS : List.of());
    return KeySnapshot.builder(arn, TestKeys.metadata().multiRegion(config).build()).build();
  }

  private static RuleContext context(KeySnapshot... keys) {
    return RuleContext.of(
        AccountSnapshot.of(EngineFixtures.ACCOUNT, EngineFixtures.NOW, List.of(keys)),
        PostureConfig.defaults());
  }

  @Test
  void replicasOf_aPrimary_givesTheReplicasTheSnapshotHolds_inTheOrderThePrimaryListsThem() {
    // given: the primary lists three replicas; the snapshot holds two of them, not in that order
    KeySnapshot primary = key(PRIMARY, "PRIMARY");
    KeySnapshot asia = key(ASIA, "REPLICA");
    KeySnapshot west = key(WEST, "REPLICA");
    RuleContext context = context(asia, primary, west);

    // when
    List<KeySnapshot> replicas = context.replicasOf(primary);

    // then: the one in eu-west-1 was not scanned, so it is not there
    assertThat(replicas).extracting(KeySnapshot::arn).containsExactly(WEST, ASIA);
    assertThatThrownBy(() -> replicas.add(primary))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void replicasOf_aKeyThatIsNotMultiRegion_isAnEmptyUnmodifiableList() {
    KeySnapshot single =
        KeySnapshot.builder(
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                TestKeys.metadata().build())
            .build();
    RuleContext context = context(single);

    List<KeySnapshot> replicas = context.replicasOf(single);

    assertThat(replicas).isEmpty();
    assertThatThrownBy(() -> replicas.add(single))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void primaryOf_aReplica_findsThePrimaryOnlyWhenTheSnapshotHoldsIt() {
    KeySnapshot primary = key(PRIMARY, "PRIMARY");
    KeySnapshot west = key(WEST, "REPLICA");

    assertThat(context(primary, west).primaryOf(west)).contains(primary);
    assertThat(context(west).primaryOf(west)).isEmpty();
  }
}
