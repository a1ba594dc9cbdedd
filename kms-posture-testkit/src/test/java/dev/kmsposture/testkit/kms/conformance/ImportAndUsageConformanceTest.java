package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kmsposture.testkit.kms.JournalEntry;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlgorithmSpec;
import software.amazon.awssdk.services.kms.model.ExpirationModelType;
import software.amazon.awssdk.services.kms.model.GetKeyLastUsageResponse;
import software.amazon.awssdk.services.kms.model.GetParametersForImportResponse;
import software.amazon.awssdk.services.kms.model.ImportType;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.IncorrectKeyMaterialException;
import software.amazon.awssdk.services.kms.model.KeyMaterialState;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidSignatureException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;
import software.amazon.awssdk.services.kms.model.WrappingKeySpec;

/** The import workflow and GetKeyLastUsage. */
class ImportAndUsageConformanceTest extends ConformanceTest {
  static final SdkBytes HELLO = CryptoConformanceTest.HELLO;

  /**
   * Wraps 32 bytes of material with the wrapping key from GetParametersForImport, as AWS documents.
   */
  static byte[] wrap(byte[] material, byte[] publicKeyDer) throws Exception {
    PublicKey key =
        KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(publicKeyDer));
    Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
    oaep.init(
        Cipher.ENCRYPT_MODE,
        key,
        new OAEPParameterSpec(
            "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
    return oaep.doFinal(material);
  }

  /** GetParametersForImport with an RSA_2048 wrapping key and RSAES_OAEP_SHA_256. */
  static GetParametersForImportResponse importParameters(KmsClient kms, String keyId) {
    return kms.getParametersForImport(
        b ->
            b.keyId(keyId)
                .wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256)
                .wrappingKeySpec(WrappingKeySpec.RSA_2048));
  }

  static byte[] material() {
    byte[] m = new byte[32];
    new SecureRandom().nextBytes(m);
    return m;
  }

  private static void importInto(
      KmsClient kms, String keyId, byte[] material, @Nullable Instant validTo) throws Exception {
    importInto(kms, keyId, material, validTo, null, null);
  }

  /**
   * Wraps {@code material} for {@code keyId} and imports it: expiring at {@code validTo}, or never
   * without one; with {@code type} and {@code materialId} when given.
   */
  static void importInto(
      KmsClient kms,
      String keyId,
      byte[] material,
      @Nullable Instant validTo,
      @Nullable ImportType type,
      @Nullable String materialId)
      throws Exception {
    var params = importParameters(kms, keyId);
    byte[] wrapped = wrap(material, params.publicKey().asByteArray());
    kms.importKeyMaterial(
        b -> {
          b.keyId(keyId)
              .importToken(params.importToken())
              .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped));
          if (validTo != null) {
            b.expirationModel(ExpirationModelType.KEY_MATERIAL_EXPIRES).validTo(validTo);
          } else {
            b.expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE);
          }
          if (type != null) {
            b.importType(type);
          }
          if (materialId != null) {
            b.keyMaterialId(materialId);
          }
        });
  }

  @Test
  void importWorkflow_pendingImportThenEnabled_andTheKeyEncrypts() throws Exception {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata();
    assertThat(md.keyState()).isEqualTo(KeyState.PENDING_IMPORT);
    assertThat(md.enabled()).isFalse();

    var params =
        kms.getParametersForImport(
            b ->
                b.keyId(md.keyId())
                    .wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256)
                    .wrappingKeySpec(WrappingKeySpec.RSA_2048));
    assertThat(params.keyId()).isEqualTo(md.arn());
    assertThat(params.parametersValidTo()).isEqualTo(START.plus(Duration.ofHours(24)));
    byte[] wrapped = wrap(material(), params.publicKey().asByteArray());
    var imported =
        kms.importKeyMaterial(
            b ->
                b.keyId(md.keyId())
                    .importToken(params.importToken())
                    .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped))
                    .expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE));

    KeyMetadata after = kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata();
    assertThat(imported.keyMaterialId()).matches("[0-9a-f]{64}");
    assertThat(after.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(after.expirationModel()).isEqualTo(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE);
    var enc = kms.encrypt(b -> b.keyId(md.keyId()).plaintext(HELLO));
    assertThat(kms.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())).plaintext())
        .isEqualTo(HELLO);
  }

  private String importNew(KmsClient kms, String keyId, byte[] material) throws Exception {
    var params = importParameters(kms, keyId);
    byte[] wrapped = wrap(material, params.publicKey().asByteArray());
    return kms.importKeyMaterial(
            b ->
                b.keyId(keyId)
                    .importToken(params.importToken())
                    .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped))
                    .expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE)
                    .importType(ImportType.NEW_KEY_MATERIAL))
        .keyMaterialId();
  }

  @Test
  void newKeyMaterial_becomesCurrentAtTheNextOnDemandRotation_andOldCiphertextsStillDecrypt()
      throws Exception {
    // The sequence of an AWS-validated test (on-demand rotation of imported material, 2025):
    // new material is imported as NEW_KEY_MATERIAL and becomes current when the key rotates.
    KmsClient kms = client();
    KeyMetadata md = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata();
    importInto(kms, md.keyId(), material(), null);
    String first = kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata().currentKeyMaterialId();
    var before = kms.encrypt(b -> b.keyId(md.keyId()).plaintext(HELLO));

    String second = importNew(kms, md.keyId(), material());
    assertThat(second).matches("[0-9a-f]{64}").isNotEqualTo(first);
    assertThat(kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata().currentKeyMaterialId())
        .isEqualTo(first);
    assertThat(
            kms.listKeyRotations(
                    b ->
                        b.keyId(md.keyId()).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))
                .rotations())
        .extracting(RotationsListEntry::keyMaterialId, RotationsListEntry::keyMaterialState)
        .containsExactly(
            tuple(first, KeyMaterialState.CURRENT),
            tuple(second, KeyMaterialState.PENDING_ROTATION));
    // one material pending rotation at a time (our message: AWS's is not known)
    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        md.arn()
            + " already has key material pending rotation ("
            + second
            + "); rotate the key with RotateKeyOnDemand before importing new key material.",
        () -> importNew(kms, md.keyId(), material()));

    assertThat(kms.rotateKeyOnDemand(b -> b.keyId(md.keyId())).keyId()).isEqualTo(md.arn());
    KeyMetadata after = kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata();
    var encrypted = kms.encrypt(b -> b.keyId(md.keyId()).plaintext(HELLO));

    assertThat(after.currentKeyMaterialId()).isEqualTo(second);
    assertThat(after.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(kms.decrypt(b -> b.ciphertextBlob(encrypted.ciphertextBlob())).keyMaterialId())
        .isEqualTo(second);
    var old = kms.decrypt(b -> b.ciphertextBlob(before.ciphertextBlob()));
    assertThat(old.plaintext()).isEqualTo(HELLO);
    assertThat(old.keyMaterialId()).isEqualTo(first);
    // without new material pending, RotateKeyOnDemand answers as AWS did before 2025 (recorded)
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        md.arn() + " origin is EXTERNAL which is not valid for this operation.",
        () -> kms.rotateKeyOnDemand(b -> b.keyId(md.keyId())));
  }

  @Test
  void newKeyMaterial_intoAnHmacKey_isRefused() throws Exception {
    KmsClient kms = client();
    KeyMetadata md =
        kms.createKey(
                b ->
                    b.origin(OriginType.EXTERNAL)
                        .keySpec(KeySpec.HMAC_256)
                        .keyUsage(KeyUsageType.GENERATE_VERIFY_MAC))
            .keyMetadata();
    importInto(kms, md.keyId(), material(), null);

    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        md.arn()
            + " key spec is HMAC_256 which is not valid for ImportType NEW_KEY_MATERIAL; only"
            + " symmetric encryption keys take new key material.",
        () -> importNew(kms, md.keyId(), material()));
  }

  @Test
  void importedMaterial_expiresAsTheClockPasses_withADeleteExpiredKeyMaterialEvent()
      throws Exception {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata();
    Instant validTo = START.plus(Duration.ofDays(2));
    importInto(kms, md.keyId(), material(), validTo);
    KeyMetadata imported = kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata();
    assertThat(imported.validTo()).isEqualTo(validTo);
    assertThat(imported.expirationModel()).isEqualTo(ExpirationModelType.KEY_MATERIAL_EXPIRES);

    clock.advance(Duration.ofDays(2));
    KeyMetadata expired = kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata();

    assertThat(expired.keyState()).isEqualTo(KeyState.PENDING_IMPORT);
    assertThat(expired.validTo()).isNull();
    assertThat(expired.expirationModel()).isNull();
    assertThat(kms().journal().entries(e -> e.operation().equals("DeleteExpiredKeyMaterial")))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.eventType()).isEqualTo("AwsServiceEvent");
              assertThat(e.eventTime()).isEqualTo(validTo);
            });
  }

  @Test
  void importKeyMaterial_expiringWithoutValidTo_isTheRecordedValidationError() {
    KmsClient kms = client();
    String id = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
    var params = importParameters(kms, id);
    error(
        KmsException.class,
        "ValidationException",
        "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES",
        () ->
            kms.importKeyMaterial(
                b ->
                    b.keyId(id)
                        .importToken(params.importToken())
                        .encryptedKeyMaterial(SdkBytes.fromByteArray(new byte[256]))
                        .expirationModel(ExpirationModelType.KEY_MATERIAL_EXPIRES)));
  }

  @Test
  void importKeyMaterial_withoutExpirationModel_expiresByDefault_soValidToIsRequired()
      throws Exception {
    // Recorded from AWS (ImportKeyMaterial with only KeyId, ImportToken and EncryptedKeyMaterial):
    // the default ExpirationModel is KEY_MATERIAL_EXPIRES, so the request needs ValidTo.
    KmsClient kms = client();
    String id = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
    var params = importParameters(kms, id);
    byte[] wrapped = wrap(material(), params.publicKey().asByteArray());

    error(
        KmsException.class,
        "ValidationException",
        "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES",
        () ->
            kms.importKeyMaterial(
                b ->
                    b.keyId(id)
                        .importToken(params.importToken())
                        .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped))));
    assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.PENDING_IMPORT);

    // with ValidTo alone the material expires
    Instant validTo = START.plus(Duration.ofDays(3));
    kms.importKeyMaterial(
        b ->
            b.keyId(id)
                .importToken(params.importToken())
                .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped))
                .validTo(validTo));
    KeyMetadata md = kms.describeKey(b -> b.keyId(id)).keyMetadata();
    assertThat(md.expirationModel()).isEqualTo(ExpirationModelType.KEY_MATERIAL_EXPIRES);
    assertThat(md.validTo()).isEqualTo(validTo);
  }

  @Test
  void deleteImportedKeyMaterial_returnsTheKeyToPendingImport_andOnlyTheSameMaterialComesBack()
      throws Exception {
    KmsClient kms = client();
    String id = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
    byte[] original = material();
    importInto(kms, id, original, null);
    var enc = kms.encrypt(b -> b.keyId(id).plaintext(HELLO));

    kms.deleteImportedKeyMaterial(b -> b.keyId(id));

    assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.PENDING_IMPORT);
    error(
        IncorrectKeyMaterialException.class,
        "IncorrectKeyMaterialException",
        () -> importInto(kms, id, material(), null));
    importInto(kms, id, original, null);
    assertThat(kms.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())).plaintext())
        .isEqualTo(HELLO);
  }

  @Test
  void importOperations_onAKeyWithKmsMaterial_areTheRecordedUnsupportedError() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        md.arn() + " origin is AWS_KMS which is not valid for this operation.",
        () ->
            kms.getParametersForImport(
                b ->
                    b.keyId(md.keyId())
                        .wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256)
                        .wrappingKeySpec(WrappingKeySpec.RSA_2048)));
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        md.arn() + " origin is AWS_KMS which is not valid for this operation.",
        () -> kms.deleteImportedKeyMaterial(b -> b.keyId(md.keyId())));
  }

  // ---- GetKeyLastUsage ----

  @Test
  void lastUsage_ofANewKey_isEmpty_andTrackingStartsWithTheKey() {
    KmsClient kms = client();
    clock.advance(Duration.ofHours(1));
    KeyMetadata md = kms.createKey().keyMetadata();

    GetKeyLastUsageResponse r = kms.getKeyLastUsage(b -> b.keyId(md.keyId()));

    assertThat(r.keyLastUsage()).isNull();
    assertThat(r.trackingStartDate()).isEqualTo(md.creationDate());
    assertThat(r.keyCreationDate()).isEqualTo(md.creationDate());
  }

  @Test
  void lastUsage_isTheLastSuccessfulCryptoCall_withItsJournalEventIdAndRequestId() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();
    clock.advance(Duration.ofMinutes(1));
    var enc = kms.encrypt(b -> b.keyId(md.keyId()).plaintext(HELLO));
    clock.advance(Duration.ofMinutes(1));
    kms.describeKey(b -> b.keyId(md.keyId()));
    error(
        KmsException.class,
        "InvalidCiphertextException",
        () ->
            kms.decrypt(
                b ->
                    b.ciphertextBlob(enc.ciphertextBlob())
                        .encryptionContext(java.util.Map.of("x", "y"))));

    var usage = kms.getKeyLastUsage(b -> b.keyId(md.keyId())).keyLastUsage();

    JournalEntry encryptEntry =
        kms().journal().entries(e -> e.operation().equals("Encrypt")).get(0);
    assertThat(usage.operationAsString()).isEqualTo("Encrypt");
    assertThat(usage.timestamp()).isEqualTo(START.plus(Duration.ofMinutes(1)));
    assertThat(usage.cloudTrailEventId()).isEqualTo(encryptEntry.eventId());
    assertThat(usage.kmsRequestId()).isEqualTo(enc.responseMetadata().requestId());
  }

  @Test
  void lastUsage_aSignatureThatDoesNotVerify_doesNotCount() {
    KmsClient kms = client();
    KeyMetadata md =
        kms.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY))
            .keyMetadata();
    error(
        KmsInvalidSignatureException.class,
        "KMSInvalidSignatureException",
        () ->
            kms.verify(
                b ->
                    b.keyId(md.keyId())
                        .message(HELLO)
                        .signature(SdkBytes.fromByteArray(new byte[70]))
                        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)));
    assertThat(kms.getKeyLastUsage(b -> b.keyId(md.keyId())).keyLastUsage()).isNull();
  }

  @Test
  void lastUsage_reEncryptUsesBothKeys_andMultiRegionKeysTrackPerRegion() {
    KmsClient kms = client();
    KeyMetadata mrk = kms.createKey(b -> b.multiRegion(true)).keyMetadata();
    kms.replicateKey(b -> b.keyId(mrk.keyId()).replicaRegion("eu-west-1"));
    KeyMetadata other = kms.createKey().keyMetadata();
    var enc = kms.encrypt(b -> b.keyId(other.keyId()).plaintext(HELLO));
    clock.advance(Duration.ofMinutes(1));

    kms.reEncrypt(b -> b.ciphertextBlob(enc.ciphertextBlob()).destinationKeyId(mrk.keyId()));

    assertThat(kms.getKeyLastUsage(b -> b.keyId(other.keyId())).keyLastUsage().operationAsString())
        .isEqualTo("ReEncrypt");
    assertThat(kms.getKeyLastUsage(b -> b.keyId(mrk.keyId())).keyLastUsage().operationAsString())
        .isEqualTo("ReEncrypt");
    assertThat(client(Region.EU_WEST_1).getKeyLastUsage(b -> b.keyId(mrk.keyId())).keyLastUsage())
        .isNull();
  }

  @Test
  void lastUsage_keyCreatedBeforeTrackingStarted_reportsTheTrackingStart() {
    Instant tracking = START.plus(Duration.ofDays(1));
    kms(b -> b.trackingStartDate(tracking));
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();

    var r = kms.getKeyLastUsage(b -> b.keyId(md.keyId()));

    assertThat(r.trackingStartDate()).isEqualTo(tracking);
    assertThat(r.keyCreationDate()).isEqualTo(START);
    assertThat(List.of(r.keyId())).containsExactly(md.arn());
  }
}
