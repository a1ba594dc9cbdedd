package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.testkit.kms.JournalEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;

/** CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, deletion and descriptions. */
class KeyLifecycleConformanceTest extends ConformanceTest {

  @Test
  @SuppressWarnings("deprecation") // CustomerMasterKeySpec is deprecated but still returned
  void createKey_withoutParameters_isAnEnabledSymmetricCustomerKeyWithEveryDocumentedMember() {
    // when
    KeyMetadata md = client().createKey().keyMetadata();

    // then
    assertThat(md.keyId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(md.arn()).isEqualTo(keyArn("us-east-1", ACCOUNT, md.keyId()));
    assertThat(md.awsAccountId()).isEqualTo(ACCOUNT);
    assertThat(md.creationDate()).isEqualTo(START);
    assertThat(md.enabled()).isTrue();
    assertThat(md.description()).isEmpty();
    assertThat(md.keyUsage()).isEqualTo(KeyUsageType.ENCRYPT_DECRYPT);
    assertThat(md.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(md.origin()).isEqualTo(OriginType.AWS_KMS);
    assertThat(md.keyManager()).isEqualTo(KeyManagerType.CUSTOMER);
    assertThat(md.keySpec()).isEqualTo(KeySpec.SYMMETRIC_DEFAULT);
    assertThat(md.customerMasterKeySpecAsString()).isEqualTo("SYMMETRIC_DEFAULT");
    assertThat(md.encryptionAlgorithmsAsStrings()).containsExactly("SYMMETRIC_DEFAULT");
    assertThat(md.multiRegion()).isFalse();
    assertThat(md.currentKeyMaterialId()).matches("[0-9a-f]{64}");
    // absent, not empty: members that do not apply are left out
    assertThat(md.hasSigningAlgorithms()).isFalse();
    assertThat(md.hasMacAlgorithms()).isFalse();
    assertThat(md.multiRegionConfiguration()).isNull();
    assertThat(md.deletionDate()).isNull();
    assertThat(md.validTo()).isNull();
    assertThat(md.expirationModel()).isNull();
  }

  @Test
  void createKey_asymmetricAndHmac_listTheAlgorithmsOfTheirUsage() {
    KmsClient kms = client();

    KeyMetadata rsaSign =
        kms.createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY))
            .keyMetadata();
    KeyMetadata rsaEncrypt =
        kms.createKey(b -> b.keySpec(KeySpec.RSA_3072).keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
            .keyMetadata();
    KeyMetadata ecc =
        kms.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P384).keyUsage(KeyUsageType.SIGN_VERIFY))
            .keyMetadata();
    KeyMetadata agreement =
        kms.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.KEY_AGREEMENT))
            .keyMetadata();
    KeyMetadata hmac =
        kms.createKey(b -> b.keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC))
            .keyMetadata();

    assertThat(rsaSign.signingAlgorithmsAsStrings())
        .containsExactlyInAnyOrder(
            "RSASSA_PKCS1_V1_5_SHA_256",
            "RSASSA_PKCS1_V1_5_SHA_384",
            "RSASSA_PKCS1_V1_5_SHA_512",
            "RSASSA_PSS_SHA_256",
            "RSASSA_PSS_SHA_384",
            "RSASSA_PSS_SHA_512");
    assertThat(rsaSign.hasEncryptionAlgorithms()).isFalse();
    assertThat(rsaEncrypt.encryptionAlgorithmsAsStrings())
        .containsExactly("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256");
    assertThat(ecc.signingAlgorithmsAsStrings()).containsExactly("ECDSA_SHA_384");
    assertThat(agreement.keyAgreementAlgorithmsAsStrings()).containsExactly("ECDH");
    assertThat(hmac.macAlgorithmsAsStrings()).containsExactly("HMAC_SHA_256");
    assertThat(hmac.currentKeyMaterialId()).isNull();
  }

  @Test
  void createKey_asymmetricWithoutKeyUsage_isTheRecordedValidationError() {
    error(
        KmsException.class,
        "ValidationException",
        "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
        () -> client().createKey(b -> b.keySpec(KeySpec.HMAC_256)));
  }

  @Test
  void createKey_usageTheSpecDoesNotAllow_isTheRecordedValidationError() {
    error(
        KmsException.class,
        "ValidationException",
        "KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048",
        () ->
            client()
                .createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.KEY_AGREEMENT)));
  }

  @Test
  void createKey_unknownKeySpec_isAnEnumValidationError() {
    KmsException e =
        error(
            KmsException.class,
            "ValidationException",
            () -> client().createKey(b -> b.keySpec("HMAC_random")));
    assertThat(e.awsErrorDetails().errorMessage())
        .startsWith(
            "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy"
                + " constraint: Member must satisfy enum value set: [");
  }

  @Test
  void createKey_descriptionOverTheLimit_isALengthValidationError() {
    String description = "d".repeat(8193);
    KmsException e =
        error(
            KmsException.class,
            "ValidationException",
            () -> client().createKey(b -> b.description(description)));
    assertThat(e.awsErrorDetails().errorMessage())
        .endsWith(
            "at 'description' failed to satisfy constraint: Member must have length less than or"
                + " equal to 8192");
  }

  @Test
  void describeKey_byIdArnAliasAndAliasArn_findsTheSameKey() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey(b -> b.description("findable")).keyMetadata();
    kms.createAlias(b -> b.aliasName("alias/findable").targetKeyId(md.keyId()));

    for (String id :
        List.of(
            md.keyId(),
            md.arn(),
            "alias/findable",
            "arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/findable")) {
      assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata()).isEqualTo(md);
    }
  }

  @Test
  void describeKey_idThatIsNoKeyId_isTheRecordedInvalidKeyId() {
    for (String id :
        List.of("fake-key-id", "134f2428cec14b25a1ae9048164dba47", "mrk-fake-key-id")) {
      error(
          NotFoundException.class,
          "NotFoundException",
          "Invalid keyId '" + id + "'",
          () -> client().describeKey(b -> b.keyId(id)));
    }
  }

  @Test
  void describeKey_unknownKey_namesItsArn() {
    String id = "d25652e4-d2d2-49f7-929a-671ccda580c6";
    error(
        NotFoundException.class,
        "NotFoundException",
        "Key '" + keyArn("us-east-1", ACCOUNT, id) + "' does not exist",
        () -> client().describeKey(b -> b.keyId(id)));
    String mrk = "mrk-d3b95762d3b95762d3b95762d3b95762";
    error(
        NotFoundException.class,
        "NotFoundException",
        "Key '" + keyArn("us-east-1", ACCOUNT, mrk) + "' does not exist",
        () -> client().describeKey(b -> b.keyId(mrk)));
  }

  @Test
  void describeKey_inAnotherRegion_isNotFoundByIdAndInvalidByArn() {
    KeyMetadata md = client(Region.AP_SOUTHEAST_1).createKey().keyMetadata();

    error(
        NotFoundException.class,
        "NotFoundException",
        "Key '" + keyArn("us-east-1", ACCOUNT, md.keyId()) + "' does not exist",
        () -> client().describeKey(b -> b.keyId(md.keyId())));
    // Recorded from AWS: an ARN of another Region is "Invalid arn <its Region>".
    error(
        NotFoundException.class,
        "NotFoundException",
        "Invalid arn ap-southeast-1",
        () -> client().describeKey(b -> b.keyId(md.arn())));
  }

  @Test
  void describeKey_unknownAlias_namesTheAliasArn() {
    error(
        NotFoundException.class,
        "NotFoundException",
        "Alias arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/does-not-exist is not found.",
        () -> client().describeKey(b -> b.keyId("alias/does-not-exist")));
  }

  @Test
  void describeKey_acrossAccountsByArn_works_butNotById() {
    KeyMetadata md = client().createKey().keyMetadata();
    KmsClient other = client(Region.US_EAST_1, "AKIAOTHERACCOUNT0001");

    assertThat(other.describeKey(b -> b.keyId(md.arn())).keyMetadata().keyId())
        .isEqualTo(md.keyId());
    error(
        NotFoundException.class,
        "NotFoundException",
        "Key '" + keyArn("us-east-1", OTHER_ACCOUNT, md.keyId()) + "' does not exist",
        () -> other.describeKey(b -> b.keyId(md.keyId())));
  }

  @Test
  void accountsAndRegions_areSeparate() {
    client().createKey();
    client().createKey();
    client(Region.EU_WEST_1).createKey();
    client(Region.US_EAST_1, "AKIAOTHERACCOUNT0001").createKey();

    assertThat(client().listKeys().keys()).hasSize(2);
    assertThat(client(Region.EU_WEST_1).listKeys().keys()).hasSize(1);
    assertThat(client(Region.US_EAST_1, "AKIAOTHERACCOUNT0001").listKeys().keys())
        .singleElement()
        .satisfies(k -> assertThat(k.keyArn()).contains(":" + OTHER_ACCOUNT + ":"));
  }

  @Test
  void listKeys_pagesWithLimitMarkerAndTruncated() {
    KmsClient kms = client();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(kms.createKey().keyMetadata().keyId());
    }

    ListKeysResponse first = kms.listKeys(b -> b.limit(2));
    ListKeysResponse second = kms.listKeys(b -> b.limit(2).marker(first.nextMarker()));
    ListKeysResponse third = kms.listKeys(b -> b.limit(2).marker(second.nextMarker()));

    assertThat(first.truncated()).isTrue();
    assertThat(second.truncated()).isTrue();
    assertThat(third.truncated()).isFalse();
    assertThat(third.nextMarker()).isNull();
    List<String> listed = new ArrayList<>();
    for (ListKeysResponse page : List.of(first, second, third)) {
      page.keys().stream().map(KeyListEntry::keyId).forEach(listed::add);
    }
    assertThat(listed).containsExactlyElementsOf(created);
    assertThat(kms.listKeysPaginator().keys().stream().map(KeyListEntry::keyId).toList())
        .containsExactlyElementsOf(created);
  }

  @Test
  void listKeys_limitOutOfRange_andForeignMarker_areRejected() {
    KmsClient kms = client();
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member"
            + " must have value less than or equal to 1000",
        () -> kms.listKeys(b -> b.limit(1001)));
    kms.createKey();
    kms.createKey();
    kms.createKey();
    String aliasMarker = kms.listAliases(b -> b.limit(1)).nextMarker();
    error(
        software.amazon.awssdk.services.kms.model.InvalidMarkerException.class,
        "InvalidMarkerException",
        () -> kms.listKeys(b -> b.marker(aliasMarker)));
  }

  @Test
  void disableKey_thenEnableKey_switchesStateAndEnabled() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();

    kms.disableKey(b -> b.keyId(id));
    KeyMetadata disabled = kms.describeKey(b -> b.keyId(id)).keyMetadata();
    kms.enableKey(b -> b.keyId(id));
    KeyMetadata enabled = kms.describeKey(b -> b.keyId(id)).keyMetadata();

    assertThat(disabled.keyState()).isEqualTo(KeyState.DISABLED);
    assertThat(disabled.enabled()).isFalse();
    assertThat(enabled.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(enabled.enabled()).isTrue();
  }

  @Test
  void enableKey_byAlias_isInvalidKeyId() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    kms.createAlias(b -> b.aliasName("alias/a").targetKeyId(id));
    error(
        NotFoundException.class,
        "NotFoundException",
        "Invalid keyId 'alias/a'",
        () -> kms.enableKey(b -> b.keyId("alias/a")));
  }

  @Test
  void scheduleKeyDeletion_defaultWindow_is30DaysWithEveryResponseMember() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();

    ScheduleKeyDeletionResponse r = kms.scheduleKeyDeletion(b -> b.keyId(md.keyId()));
    KeyMetadata pending = kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata();

    assertThat(r.keyId()).isEqualTo(md.arn());
    assertThat(r.deletionDate()).isEqualTo(START.plus(Duration.ofDays(30)));
    assertThat(r.keyState()).isEqualTo(KeyState.PENDING_DELETION);
    assertThat(r.pendingWindowInDays()).isEqualTo(30);
    assertThat(pending.keyState()).isEqualTo(KeyState.PENDING_DELETION);
    assertThat(pending.enabled()).isFalse();
    assertThat(pending.deletionDate()).isEqualTo(r.deletionDate());
    assertThat(pending.pendingDeletionWindowInDays()).isNull();
  }

  @Test
  void scheduleKeyDeletion_windowOutside7To30_isRejected() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy"
            + " constraint: Member must have value greater than or equal to 7",
        () -> kms.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(6)));
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value '31' at 'pendingWindowInDays' failed to satisfy"
            + " constraint: Member must have value less than or equal to 30",
        () -> kms.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(31)));
    assertThat(kms.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(7)).deletionDate())
        .isEqualTo(START.plus(Duration.ofDays(7)));
  }

  @Test
  void pendingDeletion_endsInDeletion_withItsAliasesAndADeleteKeyServiceEvent() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();
    kms.createAlias(b -> b.aliasName("alias/doomed").targetKeyId(md.keyId()));
    kms.scheduleKeyDeletion(b -> b.keyId(md.keyId()).pendingWindowInDays(7));

    clock.advance(Duration.ofDays(7).minusSeconds(1));
    assertThat(kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata().keyState())
        .isEqualTo(KeyState.PENDING_DELETION);
    clock.advance(Duration.ofSeconds(1));

    error(
        NotFoundException.class,
        "NotFoundException",
        "Key '" + md.arn() + "' does not exist",
        () -> kms.describeKey(b -> b.keyId(md.keyId())));
    assertThat(kms.listAliases(b -> b.limit(100)).aliases())
        .noneMatch(a -> a.aliasName().equals("alias/doomed"));
    List<JournalEntry> events =
        kms().journal().entries(e -> e.eventType().equals("AwsServiceEvent"));
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.operation()).isEqualTo("DeleteKey");
              assertThat(e.eventTime()).isEqualTo(START.plus(Duration.ofDays(7)));
              assertThat(e.keyArns()).containsExactly(md.arn());
            });
  }

  @Test
  void cancelKeyDeletion_leavesTheKeyDisabled() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();
    kms.scheduleKeyDeletion(b -> b.keyId(md.keyId()));

    String id = kms.cancelKeyDeletion(b -> b.keyId(md.keyId())).keyId();
    KeyMetadata after = kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata();

    assertThat(id).isEqualTo(md.arn());
    assertThat(after.keyState()).isEqualTo(KeyState.DISABLED);
    assertThat(after.deletionDate()).isNull();
    clock.advance(Duration.ofDays(31));
    assertThat(kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata().keyState())
        .isEqualTo(KeyState.DISABLED);
  }

  @Test
  void cancelKeyDeletion_onAKeyNotPendingDeletion_isInvalidState() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();
    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        md.arn() + " is not pending deletion.",
        () -> kms.cancelKeyDeletion(b -> b.keyId(md.keyId())));
  }

  @Test
  void keyPendingDeletion_refusesManagementWithInvalidState_butDescribesAndShowsItsPolicy() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();
    kms.scheduleKeyDeletion(b -> b.keyId(md.keyId()));
    String message = md.arn() + " is pending deletion.";

    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        message,
        () -> kms.enableKey(b -> b.keyId(md.keyId())));
    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        message,
        () -> kms.disableKey(b -> b.keyId(md.keyId())));
    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        message,
        () -> kms.updateKeyDescription(b -> b.keyId(md.keyId()).description("x")));
    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        message,
        () -> kms.scheduleKeyDeletion(b -> b.keyId(md.keyId())));
    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        message,
        () -> kms.createAlias(b -> b.aliasName("alias/late").targetKeyId(md.keyId())));
    assertThat(kms.getKeyPolicy(b -> b.keyId(md.keyId())).policy()).contains("key-default-1");
    assertThat(kms.listResourceTags(b -> b.keyId(md.keyId())).tags()).isEmpty();
  }

  @Test
  void disabledKey_refusesRotationWithDisabledException() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();
    kms.disableKey(b -> b.keyId(md.keyId()));
    error(
        DisabledException.class,
        "DisabledException",
        md.arn() + " is disabled.",
        () -> kms.enableKeyRotation(b -> b.keyId(md.keyId())));
  }

  @Test
  void updateKeyDescription_replacesTheDescription() {
    KmsClient kms = client();
    String id = kms.createKey(b -> b.description("old")).keyMetadata().keyId();

    kms.updateKeyDescription(b -> b.keyId(id).description("new"));

    assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().description()).isEqualTo("new");
  }

  @Test
  void describeCustomKeyStores_listsNone() {
    assertThat(client().describeCustomKeyStores().customKeyStores()).isEmpty();
    error(
        software.amazon.awssdk.services.kms.model.CustomKeyStoreNotFoundException.class,
        "CustomKeyStoreNotFoundException",
        () -> client().describeCustomKeyStores(b -> b.customKeyStoreId("cks-1234567890abcdef0")));
  }
}
