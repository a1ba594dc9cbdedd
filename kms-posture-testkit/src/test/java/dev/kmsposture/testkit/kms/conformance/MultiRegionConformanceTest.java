package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.testkit.kms.JournalEntry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.kms.model.ReplicateKeyResponse;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/** Multi-Region keys: CreateKey(MultiRegion), ReplicateKey, UpdatePrimaryRegion, deletion. */
class MultiRegionConformanceTest extends ConformanceTest {

  private KeyMetadata primary(KmsClient kms) {
    return kms.createKey(b -> b.multiRegion(true).description("primary")).keyMetadata();
  }

  @Test
  void createKey_multiRegion_hasAnMrkIdAndAPrimaryConfiguration() {
    KeyMetadata md = primary(client());

    assertThat(md.keyId()).matches("mrk-[0-9a-f]{32}");
    assertThat(md.multiRegion()).isTrue();
    assertThat(md.multiRegionConfiguration().multiRegionKeyType())
        .isEqualTo(MultiRegionKeyType.PRIMARY);
    assertThat(md.multiRegionConfiguration().primaryKey().arn()).isEqualTo(md.arn());
    assertThat(md.multiRegionConfiguration().primaryKey().region()).isEqualTo("us-east-1");
    assertThat(md.multiRegionConfiguration().replicaKeys()).isEmpty();
  }

  @Test
  void replicateKey_createsAReplicaThatStartsCreating_withTheDefaultPolicy() {
    KmsClient kms = client();
    KeyMetadata md = primary(kms);

    ReplicateKeyResponse r =
        kms.replicateKey(b -> b.keyId(md.keyId()).replicaRegion("ap-southeast-1"));

    KeyMetadata replica = r.replicaKeyMetadata();
    assertThat(replica.keyId()).isEqualTo(md.keyId());
    assertThat(replica.arn()).isEqualTo(keyArn("ap-southeast-1", ACCOUNT, md.keyId()));
    assertThat(replica.keyState()).isEqualTo(KeyState.CREATING);
    assertThat(replica.enabled()).isFalse();
    assertThat(replica.description()).isEmpty();
    assertThat(replica.multiRegionConfiguration().multiRegionKeyType())
        .isEqualTo(MultiRegionKeyType.REPLICA);
    assertThat(replica.multiRegionConfiguration().primaryKey().arn()).isEqualTo(md.arn());
    assertThat(replica.multiRegionConfiguration().replicaKeys())
        .extracting(k -> k.region())
        .containsExactly("ap-southeast-1");
    assertThat(r.replicaPolicy()).contains("\"Id\" : \"key-default-1\"");
    assertThat(r.hasReplicaTags()).isFalse();
    // by the next request it is enabled, and the primary lists it
    KmsClient sg = client(Region.AP_SOUTHEAST_1);
    assertThat(sg.describeKey(b -> b.keyId(md.keyId())).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
    assertThat(
            kms.describeKey(b -> b.keyId(md.keyId()))
                .keyMetadata()
                .multiRegionConfiguration()
                .replicaKeys())
        .extracting(k -> k.arn())
        .containsExactly(replica.arn());
  }

  @Test
  void replica_isCreatingForTheConfiguredDelay_andCannotBeEnabledMeanwhile() {
    kms(b -> b.replicaCreationDelay(Duration.ofSeconds(30)));
    KmsClient kms = client();
    KeyMetadata md = primary(kms);
    kms.replicateKey(b -> b.keyId(md.keyId()).replicaRegion("eu-west-1"));
    KmsClient eu = client(Region.EU_WEST_1);
    String replicaArn = keyArn("eu-west-1", ACCOUNT, md.keyId());

    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        replicaArn + " is creating.",
        () -> eu.disableKey(b -> b.keyId(md.keyId())));
    clock.advance(Duration.ofSeconds(30));
    assertThat(eu.describeKey(b -> b.keyId(md.keyId())).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
  }

  @Test
  void replica_hasItsOwnPolicyDescriptionTagsAndState_butSharesRotation() {
    KmsClient kms = client();
    KeyMetadata md = primary(kms);
    kms.enableKeyRotation(b -> b.keyId(md.keyId()).rotationPeriodInDays(180));
    var r =
        kms.replicateKey(
            b ->
                b.keyId(md.keyId())
                    .replicaRegion("eu-west-1")
                    .description("replica")
                    .tags(Tag.builder().tagKey("site").tagValue("eu").build()));
    KmsClient eu = client(Region.EU_WEST_1);

    eu.disableKey(b -> b.keyId(md.keyId()));

    assertThat(r.replicaTags()).extracting(Tag::tagKey).containsExactly("site");
    assertThat(eu.describeKey(b -> b.keyId(md.keyId())).keyMetadata().description())
        .isEqualTo("replica");
    assertThat(eu.listResourceTags(b -> b.keyId(md.keyId())).tags()).hasSize(1);
    assertThat(kms.listResourceTags(b -> b.keyId(md.keyId())).tags()).isEmpty();
    assertThat(kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
    assertThat(eu.getKeyRotationStatus(b -> b.keyId(md.keyId())).rotationPeriodInDays())
        .isEqualTo(180);
    // rotation is configured on the primary only
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        () -> eu.enableKeyRotation(b -> b.keyId(md.keyId())));
  }

  @Test
  void replicateKey_ofAReplicaOrASingleRegionKey_isTheRecordedUnsupportedError() {
    KmsClient kms = client();
    KeyMetadata md = primary(kms);
    kms.replicateKey(b -> b.keyId(md.keyId()).replicaRegion("eu-west-1"));
    String replicaArn = keyArn("eu-west-1", ACCOUNT, md.keyId());
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        replicaArn + " is not a multi-region primary key.",
        () ->
            client(Region.EU_WEST_1)
                .replicateKey(b -> b.keyId(md.keyId()).replicaRegion("us-west-2")));
    KeyMetadata single = kms.createKey().keyMetadata();
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        single.arn() + " is not a multi-region primary key.",
        () -> kms.replicateKey(b -> b.keyId(single.keyId()).replicaRegion("us-west-2")));
  }

  @Test
  void replicateKey_twiceIntoOneRegion_isAlreadyExists() {
    KmsClient kms = client();
    KeyMetadata md = primary(kms);
    kms.replicateKey(b -> b.keyId(md.keyId()).replicaRegion("eu-west-1"));
    error(
        AlreadyExistsException.class,
        "AlreadyExistsException",
        () -> kms.replicateKey(b -> b.keyId(md.keyId()).replicaRegion("eu-west-1")));
  }

  @Test
  void replicateKey_isJournaledAsReplicateKeyHereAndCreateKeyInTheReplicaRegion() {
    KmsClient kms = client();
    KeyMetadata md = primary(kms);
    kms.replicateKey(b -> b.keyId(md.keyId()).replicaRegion("eu-west-1"));

    List<JournalEntry> entries = kms().journal().entries();
    assertThat(entries.get(entries.size() - 1).operation()).isEqualTo("ReplicateKey");
    assertThat(entries.get(entries.size() - 1).region()).isEqualTo("us-east-1");
    assertThat(entries.get(entries.size() - 2).operation()).isEqualTo("CreateKey");
    assertThat(entries.get(entries.size() - 2).region()).isEqualTo("eu-west-1");
  }

  @Test
  void scheduleKeyDeletion_ofAPrimaryWithReplicas_waitsForThem() {
    KmsClient kms = client();
    KeyMetadata md = primary(kms);
    kms.replicateKey(b -> b.keyId(md.keyId()).replicaRegion("eu-west-1"));
    KmsClient eu = client(Region.EU_WEST_1);

    var r = kms.scheduleKeyDeletion(b -> b.keyId(md.keyId()).pendingWindowInDays(7));

    assertThat(r.keyState()).isEqualTo(KeyState.PENDING_REPLICA_DELETION);
    assertThat(r.deletionDate()).isNull();
    assertThat(r.pendingWindowInDays()).isEqualTo(7);
    KeyMetadata pending = kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata();
    assertThat(pending.pendingDeletionWindowInDays()).isEqualTo(7);
    assertThat(pending.deletionDate()).isNull();

    eu.scheduleKeyDeletion(b -> b.keyId(md.keyId()).pendingWindowInDays(10));
    clock.advance(Duration.ofDays(10));
    KeyMetadata primaryNow = kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata();
    assertThat(primaryNow.keyState()).isEqualTo(KeyState.PENDING_DELETION);
    assertThat(primaryNow.deletionDate()).isEqualTo(START.plus(Duration.ofDays(17)));
    assertThat(primaryNow.multiRegionConfiguration().replicaKeys()).isEmpty();
  }

  @Test
  void updatePrimaryRegion_swapsTheRoles_andBothKeysAreUpdatingMeanwhile() {
    kms(b -> b.primaryRegionUpdateDelay(Duration.ofSeconds(10)));
    KmsClient kms = client();
    KeyMetadata md = primary(kms);
    kms.replicateKey(b -> b.keyId(md.keyId()).replicaRegion("eu-west-1"));
    KmsClient eu = client(Region.EU_WEST_1);

    kms.updatePrimaryRegion(b -> b.keyId(md.keyId()).primaryRegion("eu-west-1"));

    assertThat(kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata().keyState())
        .isEqualTo(KeyState.UPDATING);
    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        md.arn() + " is updating.",
        () -> kms.disableKey(b -> b.keyId(md.keyId())));
    clock.advance(Duration.ofSeconds(10));
    KeyMetadata oldPrimary = kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata();
    KeyMetadata newPrimary = eu.describeKey(b -> b.keyId(md.keyId())).keyMetadata();
    assertThat(oldPrimary.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(oldPrimary.multiRegionConfiguration().multiRegionKeyType())
        .isEqualTo(MultiRegionKeyType.REPLICA);
    assertThat(newPrimary.multiRegionConfiguration().multiRegionKeyType())
        .isEqualTo(MultiRegionKeyType.PRIMARY);
    assertThat(newPrimary.multiRegionConfiguration().replicaKeys())
        .extracting(k -> k.region())
        .containsExactly("us-east-1");
  }
}
