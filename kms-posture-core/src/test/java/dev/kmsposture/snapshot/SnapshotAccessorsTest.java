package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.testing.TestKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parts of the snapshot model that only library users call: whether an alias is AWS managed,
 * replacing a key's metadata, an inventory that read nothing, copying a resource with a change, and
 * the reader's size limit.
 */
class SnapshotAccessorsTest {
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @Test
  void aliasEntry_isAwsManaged_onlyUnderAliasAws() {
    assertThat(new AliasEntry("alias/aws/s3", "us-east-1", null).isAwsManaged()).isTrue();
    assertThat(new AliasEntry("alias/orders", "us-east-1", null).isAwsManaged()).isFalse();
    // "aws" must be the whole first segment
    assertThat(new AliasEntry("alias/awsome", "us-east-1", null).isAwsManaged()).isFalse();
  }

  @Test
  void keyBuilder_metadata_replacesTheMetadataOnly() {
    KeyMetadata enabled = TestKeys.metadata().build();
    KeyMetadata disabled = TestKeys.metadata().keyState(KeyMetadata.DISABLED).build();

    KeySnapshot key =
        KeySnapshot.builder(KEY_ARN, enabled)
            .aliases(List.of("alias/orders"))
            .metadata(disabled)
            .build();

    assertThat(key.metadata()).isEqualTo(disabled);
    assertThat(key.aliases()).containsExactly("alias/orders");
  }

  @Test
  void inventory_isEmpty_untilAServiceWasRead() {
    assertThat(ResourceInventory.empty().isEmpty()).isTrue();
    assertThat(ResourceInventory.of(List.of("s3"), List.of(), List.of()).isEmpty()).isFalse();
  }

  @Test
  void resource_toBuilder_copiesEverythingButTheChange() {
    ResourceSnapshot bucket =
        ResourceSnapshot.builder("arn:aws:s3:::orders-data", "s3", "bucket", "us-east-1")
            .tags(Map.of("Owner", "team-orders"))
            .build();

    ResourceSnapshot retagged = bucket.toBuilder().tags(Map.of("Owner", "team-audit")).build();

    assertThat(retagged.tags()).containsEntry("Owner", "team-audit");
    assertThat(retagged.toBuilder().tags(bucket.tags()).build()).isEqualTo(bucket);
    assertThat(retagged.arn()).isEqualTo(bucket.arn());
    assertThat(retagged.region()).isEqualTo("us-east-1");
  }

  @Test
  void reader_maxKeyBytes_isTheDefaultOrTheLimitGiven() {
    assertThat(SnapshotReader.create().maxKeyBytes())
        .isEqualTo(SnapshotReader.DEFAULT_MAX_KEY_BYTES);
    assertThat(SnapshotReader.create().withMaxKeyBytes(4096).maxKeyBytes()).isEqualTo(4096);
  }
}
