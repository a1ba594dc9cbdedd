package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.testkit.kms.JournalEntry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.ConflictException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.RotationType;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/**
 * EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations.
 */
class RotationConformanceTest extends ConformanceTest {

  @Test
  void getKeyRotationStatus_ofANewKey_isDisabledWithoutPeriodOrDate() {
    KmsClient kms = client();
    var md = kms.createKey().keyMetadata();

    GetKeyRotationStatusResponse r = kms.getKeyRotationStatus(b -> b.keyId(md.keyId()));

    assertThat(r.keyRotationEnabled()).isFalse();
    assertThat(r.keyId()).isEqualTo(md.arn());
    assertThat(r.rotationPeriodInDays()).isNull();
    assertThat(r.nextRotationDate()).isNull();
    assertThat(r.onDemandRotationStartDate()).isNull();
  }

  @Test
  void enableKeyRotation_defaultsTo365Days_andSetsTheNextRotationDate() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();

    kms.enableKeyRotation(b -> b.keyId(id));
    var r = kms.getKeyRotationStatus(b -> b.keyId(id));

    assertThat(r.keyRotationEnabled()).isTrue();
    assertThat(r.rotationPeriodInDays()).isEqualTo(365);
    assertThat(r.nextRotationDate()).isEqualTo(START.plus(Duration.ofDays(365)));
  }

  @Test
  void enableKeyRotation_periodOutside90To2560_isAValidationError() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy"
            + " constraint: Member must have value greater than or equal to 90",
        () -> kms.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(89)));
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value '2561' at 'rotationPeriodInDays' failed to satisfy"
            + " constraint: Member must have value less than or equal to 2560",
        () -> kms.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(2561)));
    kms.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(2560));
  }

  @Test
  void automaticRotations_happenAsTheClockPasses_andAreListedAndJournaled() {
    KmsClient kms = client();
    var md = kms.createKey().keyMetadata();
    kms.enableKeyRotation(b -> b.keyId(md.keyId()).rotationPeriodInDays(90));

    clock.advance(Duration.ofDays(200));
    List<RotationsListEntry> rotations = kms.listKeyRotations(b -> b.keyId(md.keyId())).rotations();

    assertThat(rotations)
        .extracting(RotationsListEntry::rotationDate)
        .containsExactly(START.plus(Duration.ofDays(90)), START.plus(Duration.ofDays(180)));
    assertThat(rotations).allMatch(r -> r.rotationType() == RotationType.AUTOMATIC);
    assertThat(rotations.get(1).keyMaterialStateAsString()).isEqualTo("CURRENT");
    assertThat(rotations.get(0).keyMaterialStateAsString()).isEqualTo("NON_CURRENT");
    assertThat(kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata().currentKeyMaterialId())
        .isEqualTo(rotations.get(1).keyMaterialId());
    assertThat(kms.getKeyRotationStatus(b -> b.keyId(md.keyId())).nextRotationDate())
        .isEqualTo(START.plus(Duration.ofDays(270)));
    List<JournalEntry> events = kms().journal().entries(e -> e.operation().equals("RotateKey"));
    assertThat(events).hasSize(2);
    assertThat(events.get(0).requestParametersJson()).contains("\"rotationType\":\"AUTOMATIC\"");
  }

  @Test
  void listKeyRotations_allKeyMaterial_includesTheInitialMaterial() {
    KmsClient kms = client();
    var md = kms.createKey().keyMetadata();
    String initial = md.currentKeyMaterialId();
    kms.rotateKeyOnDemand(b -> b.keyId(md.keyId()));
    clock.advance(Duration.ofSeconds(1));

    var all =
        kms.listKeyRotations(b -> b.keyId(md.keyId()).includeKeyMaterial("ALL_KEY_MATERIAL"))
            .rotations();

    assertThat(all).hasSize(2);
    assertThat(all.get(0).keyMaterialId()).isEqualTo(initial);
    assertThat(all.get(0).rotationDate()).isNull();
    assertThat(all.get(1).rotationType()).isEqualTo(RotationType.ON_DEMAND);
  }

  @Test
  void rotateKeyOnDemand_isAsynchronous_andShowsItsStartDateWhileInProgress() {
    kms(b -> b.onDemandRotationDelay(Duration.ofMinutes(2)));
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();

    assertThat(kms.rotateKeyOnDemand(b -> b.keyId(id)).keyId()).endsWith(id);
    var during = kms.getKeyRotationStatus(b -> b.keyId(id));
    var listedDuring = kms.listKeyRotations(b -> b.keyId(id)).rotations();
    error(
        ConflictException.class,
        "ConflictException",
        () -> kms.rotateKeyOnDemand(b -> b.keyId(id)));
    clock.advance(Duration.ofMinutes(2));
    var after = kms.getKeyRotationStatus(b -> b.keyId(id));

    assertThat(during.onDemandRotationStartDate()).isEqualTo(START);
    assertThat(during.keyRotationEnabled()).isFalse();
    assertThat(listedDuring).isEmpty();
    assertThat(after.onDemandRotationStartDate()).isNull();
    assertThat(kms.listKeyRotations(b -> b.keyId(id)).rotations())
        .singleElement()
        .satisfies(r -> assertThat(r.rotationDate()).isEqualTo(START.plus(Duration.ofMinutes(2))));
  }

  @Test
  void rotateKeyOnDemand_beyondTheLimit_isTheRecordedLimitExceeded() {
    kms(b -> b.onDemandRotationLimit(2));
    KmsClient kms = client();
    var md = kms.createKey().keyMetadata();
    for (int i = 0; i < 2; i++) {
      kms.rotateKeyOnDemand(b -> b.keyId(md.keyId()));
      clock.advance(Duration.ofSeconds(1));
    }
    error(
        LimitExceededException.class,
        "LimitExceededException",
        "The on-demand rotations limit has been reached for the given keyId. No more on-demand"
            + " rotations can be performed for this key: "
            + md.arn(),
        () -> kms.rotateKeyOnDemand(b -> b.keyId(md.keyId())));
  }

  @Test
  void rotateKeyOnDemand_doesNotChangeTheAutomaticSchedule() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    kms.enableKeyRotation(b -> b.keyId(id));
    clock.advance(Duration.ofDays(10));

    kms.rotateKeyOnDemand(b -> b.keyId(id));
    clock.advance(Duration.ofSeconds(1));

    var r = kms.getKeyRotationStatus(b -> b.keyId(id));
    assertThat(r.keyRotationEnabled()).isTrue();
    assertThat(r.nextRotationDate()).isEqualTo(START.plus(Duration.ofDays(365)));
  }

  @Test
  void rotateKeyOnDemand_withAnAutomaticRotationDueWithin20Minutes_isConflict() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    kms.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(90));
    clock.advance(Duration.ofDays(90).minusMinutes(10));
    error(
        ConflictException.class,
        "ConflictException",
        () -> kms.rotateKeyOnDemand(b -> b.keyId(id)));
  }

  @Test
  void rotation_ofAsymmetricHmacAndImportedKeys_isUnsupported_asAwsDocumentsPerOperation() {
    KmsClient kms = client();
    var rsa =
        kms.createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY))
            .keyMetadata();
    var hmac =
        kms.createKey(b -> b.keySpec(KeySpec.HMAC_512).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC))
            .keyMetadata();
    var imported = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata();

    // GetKeyRotationStatus: false for asymmetric and HMAC keys (as AWS now answers)
    assertThat(kms.getKeyRotationStatus(b -> b.keyId(rsa.keyId())).keyRotationEnabled()).isFalse();
    assertThat(kms.getKeyRotationStatus(b -> b.keyId(hmac.keyId())).keyRotationEnabled()).isFalse();
    // ... but UnsupportedOperationException for imported material
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        imported.arn() + " origin is EXTERNAL which is not valid for this operation.",
        () -> kms.getKeyRotationStatus(b -> b.keyId(imported.keyId())));
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        () -> kms.enableKeyRotation(b -> b.keyId(rsa.keyId())));
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        () -> kms.disableKeyRotation(b -> b.keyId(hmac.keyId())));
    // Recorded from AWS: RotateKeyOnDemand on a non-symmetric key has an empty message.
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        "",
        () -> kms.rotateKeyOnDemand(b -> b.keyId(rsa.keyId())));
    // the key state comes first: an imported key without material is pending import
    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        imported.arn() + " is pending import.",
        () -> kms.rotateKeyOnDemand(b -> b.keyId(imported.keyId())));
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        () -> kms.listKeyRotations(b -> b.keyId(hmac.keyId())));
  }

  @Test
  void rotateKeyOnDemand_checksTheKeyStateBeforeTheKeySpec() {
    // Recorded from AWS: RotateKeyOnDemand on a disabled RSA_4096 key is DisabledException, not
    // the UnsupportedOperationException (without a message) of an enabled one.
    KmsClient kms = client();
    var rsa =
        kms.createKey(b -> b.keySpec(KeySpec.RSA_4096).keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
            .keyMetadata();
    kms.disableKey(b -> b.keyId(rsa.keyId()));

    error(
        DisabledException.class,
        "DisabledException",
        rsa.arn() + " is disabled.",
        () -> kms.rotateKeyOnDemand(b -> b.keyId(rsa.keyId())));
    kms.enableKey(b -> b.keyId(rsa.keyId()));
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        "",
        () -> kms.rotateKeyOnDemand(b -> b.keyId(rsa.keyId())));
  }

  @Test
  void rotateKeyOnDemand_onADisabledKey_isTheRecordedDisabledError() {
    KmsClient kms = client();
    var md = kms.createKey().keyMetadata();
    kms.disableKey(b -> b.keyId(md.keyId()));
    error(
        DisabledException.class,
        "DisabledException",
        md.arn() + " is disabled.",
        () -> kms.rotateKeyOnDemand(b -> b.keyId(md.keyId())));
  }

  @Test
  void keyPendingDeletion_reportsRotationFalse_andCancellingRestoresIt() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    kms.enableKeyRotation(b -> b.keyId(id));
    kms.scheduleKeyDeletion(b -> b.keyId(id));

    assertThat(kms.getKeyRotationStatus(b -> b.keyId(id)).keyRotationEnabled()).isFalse();
    kms.cancelKeyDeletion(b -> b.keyId(id));
    assertThat(kms.getKeyRotationStatus(b -> b.keyId(id)).keyRotationEnabled()).isTrue();
  }

  @Test
  void rotationDueWhileDisabled_happensWhenTheKeyIsEnabledAgain() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    kms.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(90));
    kms.disableKey(b -> b.keyId(id));
    clock.advance(Duration.ofDays(100));
    assertThat(kms.listKeyRotations(b -> b.keyId(id)).rotations()).isEmpty();

    kms.enableKey(b -> b.keyId(id));

    assertThat(kms.listKeyRotations(b -> b.keyId(id)).rotations())
        .singleElement()
        .satisfies(r -> assertThat(r.rotationDate()).isEqualTo(START.plus(Duration.ofDays(100))));
    assertThat(kms.getKeyRotationStatus(b -> b.keyId(id)).nextRotationDate())
        .isEqualTo(START.plus(Duration.ofDays(190)));
  }

  @Test
  void disableKeyRotation_stopsAutomaticRotation() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    kms.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(90));
    kms.disableKeyRotation(b -> b.keyId(id));
    clock.advance(Duration.ofDays(365));
    assertThat(kms.listKeyRotations(b -> b.keyId(id)).rotations()).isEmpty();
    assertThat(kms.getKeyRotationStatus(b -> b.keyId(id)).keyRotationEnabled()).isFalse();
  }
}
