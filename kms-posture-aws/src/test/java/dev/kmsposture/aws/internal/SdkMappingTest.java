package dev.kmsposture.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.testing.TestKeys;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.GetKeyLastUsageResponse;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.KeyLastUsageData;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;

class SdkMappingTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private static software.amazon.awssdk.services.kms.model.KeyMetadata.Builder full() {
    return software.amazon.awssdk.services.kms.model.KeyMetadata.builder()
        .keyId("1234abcd-12ab-34cd-56ef-1234567890ab")
        .keyManager("CUSTOMER")
        .keySpec("SYMMETRIC_DEFAULT")
        .keyUsage("ENCRYPT_DECRYPT")
        .origin("AWS_KMS")
        .keyState("Enabled")
        .enabled(true)
        .creationDate(CREATED)
        .description("orders");
  }

  @Test
  void metadata_complete_mapsEveryFieldAndMissesNothing() {
    SdkMapping.Metadata m =
        SdkMapping.metadata(full().build(), "1234abcd-12ab-34cd-56ef-1234567890ab", false);

    assertThat(m.missing()).isEmpty();
    assertThat(m.metadata())
        .isEqualTo(TestKeys.metadata().creationDate(CREATED).description("orders").build());
  }

  @Test
  void metadata_missingKeyUsageOfASymmetricKey_isDerived() {
    SdkMapping.Metadata m = SdkMapping.metadata(full().keyUsage((String) null).build(), "k", false);

    assertThat(m.missing()).isEmpty();
    assertThat(m.metadata().keyUsage()).isEqualTo("ENCRYPT_DECRYPT");
  }

  @Test
  void metadata_missingKeyUsageOfAnRsaKey_isNotKnown() {
    SdkMapping.Metadata m =
        SdkMapping.metadata(full().keySpec("RSA_2048").keyUsage((String) null).build(), "k", false);

    assertThat(m.missing()).containsExactly("KeyUsage");
    assertThat(m.metadata().keyUsage()).isEqualTo(KeyMetadata.UNKNOWN);
  }

  @Test
  void metadata_missingKeyManager_isAwsOnlyWhenAnAwsAliasPointsAtTheKey() {
    var noManager = full().keyManager((String) null).build();

    assertThat(SdkMapping.metadata(noManager, "k", true).metadata().keyManager()).isEqualTo("AWS");
    assertThat(SdkMapping.metadata(noManager, "k", false).missing()).containsExactly("KeyManager");
  }

  @Test
  void metadata_missingKeyState_comesFromEnabledOrTheDeletionDate() {
    assertThat(
            SdkMapping.metadata(full().keyState((String) null).build(), "k", false)
                .metadata()
                .keyState())
        .isEqualTo("Enabled");
    assertThat(
            SdkMapping.metadata(
                    full().keyState((String) null).enabled(false).deletionDate(CREATED).build(),
                    "k",
                    false)
                .metadata()
                .keyState())
        .isEqualTo("PendingDeletion");
    assertThat(
            SdkMapping.metadata(full().keyState((String) null).enabled(false).build(), "k", false)
                .missing())
        .containsExactly("KeyState");
  }

  @Test
  void metadata_missingMultiRegionFieldsOfAMultiRegionKey_areNotKnown() {
    SdkMapping.Metadata m =
        SdkMapping.metadata(full().build(), "mrk-0123456789abcdef0123456789abcdef", false);

    assertThat(m.missing()).containsExactly("MultiRegionConfiguration");
  }

  @Test
  void metadata_missingMultiRegionOfASingleRegionKey_isSingleRegion() {
    SdkMapping.Metadata m = SdkMapping.metadata(full().build(), "1234abcd", false);

    assertThat(m.missing()).isEmpty();
    assertThat(m.metadata().multiRegion()).isNull();
  }

  @Test
  void metadata_missingDescriptionCreationAndOrigin() {
    SdkMapping.Metadata m =
        SdkMapping.metadata(
            full().description(null).creationDate(null).origin((String) null).build(), "k", false);

    assertThat(m.metadata().description()).isEmpty();
    assertThat(m.missing()).containsExactly("Origin", "CreationDate");
  }

  @Test
  void rotation_withoutKeyRotationEnabled_isNotKnown() {
    assertThat(SdkMapping.rotation(GetKeyRotationStatusResponse.builder().build())).isEmpty();
    assertThat(
            SdkMapping.rotation(
                    GetKeyRotationStatusResponse.builder().keyRotationEnabled(false).build())
                .orElseThrow()
                .rotationPeriodInDays())
        .as("AWS leaves the period out when rotation is off")
        .isNull();
  }

  @Test
  void rotationEntry_withNeitherDateNorMaterial_isNotKnown() {
    assertThat(SdkMapping.rotation(RotationsListEntry.builder().build())).isEmpty();
  }

  @Test
  void grant_servicePrincipalGrantee_isTheGrantee() {
    var grant =
        SdkMapping.grant(
                GrantListEntry.builder()
                    .grantId("g")
                    .granteeServicePrincipal("logs.us-east-1.amazonaws.com")
                    .retiringServicePrincipal("logs.us-east-1.amazonaws.com")
                    .operationsWithStrings("Decrypt")
                    .build())
            .orElseThrow();

    assertThat(grant.granteePrincipal()).isEqualTo("logs.us-east-1.amazonaws.com");
    assertThat(grant.retiringPrincipal()).isEqualTo("logs.us-east-1.amazonaws.com");
    assertThat(grant.hasEncryptionContextConstraint()).isFalse();
  }

  @Test
  void grant_withoutGrantee_isNotKnown() {
    assertThat(SdkMapping.grant(GrantListEntry.builder().grantId("g").build())).isEmpty();
  }

  @Test
  void lastUsage_neverUsed_hasOnlyTheTrackingStart() {
    var usage =
        SdkMapping.lastUsage(
            GetKeyLastUsageResponse.builder()
                .trackingStartDate(CREATED)
                .keyCreationDate(CREATED)
                .build());

    assertThat(usage.lastUsedAt()).isNull();
    assertThat(usage.operation()).isNull();
    assertThat(usage.trackingStartDate()).isEqualTo(CREATED);
  }

  @Test
  void lastUsage_used_hasTheTimeAndOperation() {
    var usage =
        SdkMapping.lastUsage(
            GetKeyLastUsageResponse.builder()
                .keyLastUsage(
                    KeyLastUsageData.builder().operation("Decrypt").timestamp(CREATED).build())
                .build());

    assertThat(usage.lastUsedAt()).isEqualTo(CREATED);
    assertThat(usage.operation()).isEqualTo("Decrypt");
  }
}
