package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.testkit.kms.KmsSeed;
import dev.kmsposture.testkit.kms.SeedRotation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.kms.model.RotationType;

/** A seeded KMS looks, through the API, as if requests had made its keys. */
class SeedConformanceTest extends ConformanceTest {
  static final String KEY = "1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String MRK = "mrk-0123456789abcdef0123456789abcdef";

  @Test
  void seededKey_hasItsIdStateAliasesTagsPolicyGrantsAndRotationHistory() {
    Instant created = START.minus(Duration.ofDays(400));
    kms(
        b ->
            b.seed(
                KmsSeed.builder()
                    .key(
                        k ->
                            k.keyId(KEY)
                                .description("orders")
                                .creationDate(created)
                                .state("Disabled")
                                .addAlias("alias/orders")
                                .putTag("env", "prod")
                                .rotationEnabled(true)
                                .rotationPeriodInDays(180)
                                .addRotation(
                                    SeedRotation.automatic(created.plus(Duration.ofDays(180))))
                                .addRotation(
                                    SeedRotation.onDemand(created.plus(Duration.ofDays(200))))
                                .nextRotationDate(START.plus(Duration.ofDays(10)))
                                .addGrant(
                                    g ->
                                        g.granteePrincipal("arn:aws:iam::" + ACCOUNT + ":role/app")
                                            .addOperation("Decrypt")
                                            .name("app")))
                    .build()));
    KmsClient kms = client();

    KeyMetadata md = kms.describeKey(b -> b.keyId("alias/orders")).keyMetadata();

    assertThat(md.keyId()).isEqualTo(KEY);
    assertThat(md.creationDate()).isEqualTo(created);
    assertThat(md.keyState()).isEqualTo(KeyState.DISABLED);
    assertThat(md.description()).isEqualTo("orders");
    assertThat(kms.listResourceTags(b -> b.keyId(KEY)).tags().get(0).tagValue()).isEqualTo("prod");
    assertThat(kms.getKeyPolicy(b -> b.keyId(KEY)).policy()).contains("key-default-1");
    assertThat(kms.listGrants(b -> b.keyId(KEY)).grants().get(0).name()).isEqualTo("app");
    var status = kms.getKeyRotationStatus(b -> b.keyId(KEY));
    assertThat(status.rotationPeriodInDays()).isEqualTo(180);
    assertThat(status.nextRotationDate()).isEqualTo(START.plus(Duration.ofDays(10)));
    assertThat(kms.listKeyRotations(b -> b.keyId(KEY)).rotations())
        .extracting(r -> r.rotationType())
        .containsExactly(RotationType.AUTOMATIC, RotationType.ON_DEMAND);
  }

  @Test
  void seededMultiRegionKey_hasItsReplicas() {
    kms(
        b ->
            b.seed(
                KmsSeed.builder()
                    .key(
                        k ->
                            k.keyId(MRK)
                                .multiRegion(true)
                                .addReplica(
                                    r ->
                                        r.region("eu-west-1")
                                            .state("Disabled")
                                            .addAlias("alias/eu")))
                    .build()));

    KeyMetadata primary = client().describeKey(b -> b.keyId(MRK)).keyMetadata();
    KeyMetadata replica =
        client(Region.EU_WEST_1).describeKey(b -> b.keyId("alias/eu")).keyMetadata();

    assertThat(primary.multiRegionConfiguration().replicaKeys())
        .extracting(k -> k.region())
        .containsExactly("eu-west-1");
    assertThat(replica.multiRegionConfiguration().multiRegionKeyType())
        .isEqualTo(MultiRegionKeyType.REPLICA);
    assertThat(replica.keyState()).isEqualTo(KeyState.DISABLED);
  }

  @Test
  void seededAwsManagedKey_rotatesYearly_andCannotBeManaged() {
    kms(
        b ->
            b.seed(
                KmsSeed.builder()
                    .key(k -> k.keyId(KEY).awsManaged(true).addAlias("alias/aws/ebs"))
                    .build()));
    KmsClient kms = client();

    KeyMetadata md = kms.describeKey(b -> b.keyId("alias/aws/ebs")).keyMetadata();

    assertThat(md.keyManager()).isEqualTo(KeyManagerType.AWS);
    assertThat(kms.getKeyRotationStatus(b -> b.keyId(KEY)).keyRotationEnabled()).isTrue();
    assertThat(kms.listAliasesPaginator().aliases().stream())
        .filteredOn(a -> a.aliasName().equals("alias/aws/ebs"))
        .extracting(AliasListEntry::targetKeyId)
        .containsExactly(KEY);
    error(
        software.amazon.awssdk.services.kms.model.KmsException.class,
        "AccessDeniedException",
        () -> kms.disableKey(b -> b.keyId(KEY)));
  }

  @Test
  void seededPendingDeletionAndExpiringMaterial_happenAsTheClockPasses() {
    kms(
        b ->
            b.seed(
                KmsSeed.builder()
                    .key(
                        k ->
                            k.keyId(KEY)
                                .state("PendingDeletion")
                                .deletionDate(START.plus(Duration.ofDays(7))))
                    .key(
                        k ->
                            k.origin("EXTERNAL")
                                .materialExpiresAt(START.plus(Duration.ofDays(1)))
                                .description("imported"))
                    .build()));
    KmsClient kms = client();
    String imported =
        kms.listKeys().keys().stream()
            .map(k -> k.keyId())
            .filter(id -> !id.equals(KEY))
            .findFirst()
            .orElseThrow();
    assertThat(kms.describeKey(b -> b.keyId(imported)).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);

    clock.advance(Duration.ofDays(7));

    assertThat(kms.listKeys().keys()).extracting(k -> k.keyId()).containsExactly(imported);
    assertThat(kms.describeKey(b -> b.keyId(imported)).keyMetadata().keyState())
        .isEqualTo(KeyState.PENDING_IMPORT);
  }

  @Test
  void seededLastUsage_andTrackingStart_areReported() {
    Instant used = START.minus(Duration.ofDays(3));
    kms(
        b ->
            b.seed(
                KmsSeed.builder()
                    .trackingStartDate(START.minus(Duration.ofDays(30)))
                    .key(
                        k ->
                            k.keyId(KEY)
                                .creationDate(START.minus(Duration.ofDays(90)))
                                .lastUsed("Decrypt", used))
                    .build()));

    var r = client().getKeyLastUsage(b -> b.keyId(KEY));

    assertThat(r.keyLastUsage().operationAsString()).isEqualTo("Decrypt");
    assertThat(r.keyLastUsage().timestamp()).isEqualTo(used);
    assertThat(r.trackingStartDate()).isEqualTo(START.minus(Duration.ofDays(30)));
  }

  @Test
  void seededImportedKeys_ofEverySupportedKind_work() {
    kms(
        b ->
            b.seed(
                KmsSeed.builder()
                    .key(k -> k.keyId(KEY).origin("EXTERNAL"))
                    .key(
                        k ->
                            k.keyId("2234abcd-12ab-34cd-56ef-1234567890ab")
                                .origin("EXTERNAL")
                                .keySpec("ECC_NIST_P256")
                                .keyUsage("SIGN_VERIFY"))
                    .key(
                        k ->
                            k.keyId("3234abcd-12ab-34cd-56ef-1234567890ab")
                                .origin("EXTERNAL")
                                .keySpec("HMAC_256"))
                    .build()));
    KmsClient kms = client();
    var hello = CryptoConformanceTest.HELLO;

    var enc = kms.encrypt(b -> b.keyId(KEY).plaintext(hello));
    var sig =
        kms.sign(
            b ->
                b.keyId("2234abcd-12ab-34cd-56ef-1234567890ab")
                    .message(hello)
                    .signingAlgorithm("ECDSA_SHA_256"));
    var mac =
        kms.generateMac(
            b ->
                b.keyId("3234abcd-12ab-34cd-56ef-1234567890ab")
                    .message(hello)
                    .macAlgorithm("HMAC_SHA_256"));

    assertThat(kms.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())).plaintext())
        .isEqualTo(hello);
    assertThat(
            kms.verify(
                    b ->
                        b.keyId("2234abcd-12ab-34cd-56ef-1234567890ab")
                            .message(hello)
                            .signature(sig.signature())
                            .signingAlgorithm("ECDSA_SHA_256"))
                .signatureValid())
        .isTrue();
    assertThat(mac.mac().asByteArray()).hasSize(32);
    assertThat(kms.describeKey(b -> b.keyId(KEY)).keyMetadata().expirationModelAsString())
        .isEqualTo("KEY_MATERIAL_DOES_NOT_EXPIRE");
  }

  @Test
  void reset_returnsToTheSeed() {
    kms(b -> b.seed(KmsSeed.builder().key(k -> k.keyId(KEY)).build()));
    KmsClient kms = client();
    kms.createKey();
    kms.disableKey(b -> b.keyId(KEY));

    kms().reset();

    assertThat(kms.listKeys().keys()).extracting(k -> k.keyId()).containsExactly(KEY);
    assertThat(kms.describeKey(b -> b.keyId(KEY)).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
    assertThat(kms().journal().entries()).hasSize(2);
  }
}
