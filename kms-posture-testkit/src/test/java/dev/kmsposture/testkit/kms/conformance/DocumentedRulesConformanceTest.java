package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kmsposture.testkit.kms.KmsSeed;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeyPairSpec;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.DryRunModifierType;
import software.amazon.awssdk.services.kms.model.DryRunOperationException;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.ImportType;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.IncorrectKeyMaterialException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidGrantIdException;
import software.amazon.awssdk.services.kms.model.KeyAgreementAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMaterialState;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Rules the KMS API reference states in the prose of an operation or a parameter (which parameters
 * go together, what a parameter is valid for, what an error in an operation's error list stands
 * for), each written from the page named in the test.
 */
class DocumentedRulesConformanceTest extends ConformanceTest {
  static final String RETIRER = "arn:aws:iam::" + ACCOUNT + ":role/retirer";
  static final String OTHER_ACCOUNT_KEY = "AKIAOTHERACCOUNT0001";

  // ---- UpdateAlias (errors: LimitExceededException) ----

  @Test
  void updateAlias_toAKeyThatAlreadyHas50Aliases_isLimitExceeded() {
    KmsClient kms = client();
    String full = kms.createKey().keyMetadata().keyId();
    String other = kms.createKey().keyMetadata().keyId();
    for (int i = 0; i < 50; i++) {
      int n = i;
      kms.createAlias(b -> b.aliasName("alias/full-" + n).targetKeyId(full));
    }
    kms.createAlias(b -> b.aliasName("alias/moving").targetKeyId(other));

    error(
        LimitExceededException.class,
        "LimitExceededException",
        () -> kms.updateAlias(b -> b.aliasName("alias/moving").targetKeyId(full)));

    // an alias already on the key can be updated to it again: the key takes no new alias
    kms.updateAlias(b -> b.aliasName("alias/full-0").targetKeyId(full));
    assertThat(kms.listAliases(b -> b.keyId(other)).aliases()).hasSize(1);
  }

  // ---- ListGrants (errors: InvalidGrantIdException) ----

  @Test
  void listGrants_filteredByAGrantIdThatIsNoGrantId_isInvalidGrantId() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    kms.createGrant(b -> b.keyId(id).granteePrincipal(RETIRER).operations(GrantOperation.DECRYPT));

    error(
        InvalidGrantIdException.class,
        "InvalidGrantIdException",
        () -> kms.listGrants(b -> b.keyId(id).grantId("not-a-grant-id")));
    // a well-formed id of no grant of the key filters everything out
    assertThat(kms.listGrants(b -> b.keyId(id).grantId("0".repeat(64))).grants()).isEmpty();
  }

  // ---- ListRetirableGrants ("include grants for KMS keys in ... other AWS accounts") ----

  @Test
  void listRetirableGrants_includesGrantsOnKeysOfOtherAccounts() {
    KmsClient mine = client();
    KmsClient theirs = client(Region.US_EAST_1, OTHER_ACCOUNT_KEY);
    String myKey = mine.createKey().keyMetadata().keyId();
    var theirKey = theirs.createKey().keyMetadata();
    var myGrant =
        mine.createGrant(
            b ->
                b.keyId(myKey)
                    .granteePrincipal(RETIRER)
                    .retiringPrincipal(RETIRER)
                    .operations(GrantOperation.DECRYPT));
    var theirGrant =
        theirs.createGrant(
            b ->
                b.keyId(theirKey.keyId())
                    .granteePrincipal(RETIRER)
                    .retiringPrincipal(RETIRER)
                    .operations(GrantOperation.ENCRYPT));

    var grants = mine.listRetirableGrants(b -> b.retiringPrincipal(RETIRER)).grants();

    assertThat(grants)
        .extracting(g -> g.grantId(), g -> g.keyId())
        .containsExactly(
            tuple(myGrant.grantId(), keyArn("us-east-1", ACCOUNT, myKey)),
            tuple(theirGrant.grantId(), theirKey.arn()));
    assertThat(grants.get(1).issuingAccount()).isEqualTo("arn:aws:iam::" + OTHER_ACCOUNT + ":root");
    // and the retiring principal can retire the other account's grant by its token or ids
    mine.retireGrant(b -> b.keyId(theirKey.arn()).grantId(theirGrant.grantId()));
    assertThat(theirs.listGrants(b -> b.keyId(theirKey.keyId())).grants()).isEmpty();
  }

  // ---- CreateKey: XksKeyId "is not valid for KMS keys with any other Origin value" ----

  @Test
  void createKey_xksKeyIdWithAnOriginOtherThanExternalKeyStore_isAValidationError() {
    KmsClient kms = client();
    error(
        KmsException.class,
        "ValidationException",
        "XksKeyId is valid only for KMS keys with an Origin value of EXTERNAL_KEY_STORE; this"
            + " request's Origin is AWS_KMS.",
        () -> kms.createKey(b -> b.xksKeyId("ext-key-1")));
    error(
        KmsException.class,
        "ValidationException",
        () -> kms.createKey(b -> b.origin(OriginType.EXTERNAL).xksKeyId("ext-key-1")));
    assertThat(kms.listKeys().keys()).isEmpty();
  }

  // ---- DeleteImportedKeyMaterial ----

  private static void importMaterial(
      KmsClient kms,
      String keyId,
      byte[] material,
      @Nullable ImportType type,
      @Nullable String materialId)
      throws Exception {
    ImportAndUsageConformanceTest.importInto(kms, keyId, material, null, type, materialId);
  }

  private static void importMaterial(KmsClient kms, String keyId, byte[] material)
      throws Exception {
    importMaterial(kms, keyId, material, null, null);
  }

  @Test
  void
      deleteImportedKeyMaterial_whilePendingDeletion_keepsTheKeyState_andCancelLeavesItPendingImport()
          throws Exception {
    // API reference, DeleteImportedKeyMaterial: "When the specified KMS key is in the
    // PendingDeletion state, this operation does not change the KMS key's state."
    KmsClient kms = client();
    String id = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
    byte[] original = ImportAndUsageConformanceTest.material();
    importMaterial(kms, id, original);
    kms.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(7));

    var deleted = kms.deleteImportedKeyMaterial(b -> b.keyId(id));

    assertThat(deleted.keyMaterialId()).matches("[0-9a-f]{64}");
    assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.PENDING_DELETION);
    // the key has no material when its deletion is cancelled: it waits for the material again
    kms.cancelKeyDeletion(b -> b.keyId(id));
    assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.PENDING_IMPORT);
    importMaterial(kms, id, original);
    assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
  }

  @Test
  void deleteImportedKeyMaterial_withTheIdOfMaterialPendingRotation_deletesOnlyThatMaterial()
      throws Exception {
    // RotationsListEntry: "Key material in PENDING_ROTATION is not permanently associated with the
    // KMS key. You can delete this key material and import different key material in its place".
    KmsClient kms = client();
    String id = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
    importMaterial(kms, id, ImportAndUsageConformanceTest.material());
    String current = kms.describeKey(b -> b.keyId(id)).keyMetadata().currentKeyMaterialId();
    importMaterial(
        kms, id, ImportAndUsageConformanceTest.material(), ImportType.NEW_KEY_MATERIAL, null);
    String pending =
        kms.listKeyRotations(
                b -> b.keyId(id).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))
            .rotations()
            .get(1)
            .keyMaterialId();

    var deleted = kms.deleteImportedKeyMaterial(b -> b.keyId(id).keyMaterialId(pending));

    assertThat(deleted.keyMaterialId()).isEqualTo(pending);
    assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
    assertThat(
            kms.listKeyRotations(
                    b -> b.keyId(id).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))
                .rotations())
        .extracting(RotationsListEntry::keyMaterialId, RotationsListEntry::keyMaterialState)
        .containsExactly(tuple(current, KeyMaterialState.CURRENT));
    // other new material can take its place
    importMaterial(
        kms, id, ImportAndUsageConformanceTest.material(), ImportType.NEW_KEY_MATERIAL, null);
  }

  @Test
  void deleteImportedKeyMaterial_withAKeyMaterialIdTheKeyDoesNotHave_isNotFound() throws Exception {
    KmsClient kms = client();
    String id = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
    importMaterial(kms, id, ImportAndUsageConformanceTest.material());

    error(
        NotFoundException.class,
        "NotFoundException",
        () -> kms.deleteImportedKeyMaterial(b -> b.keyId(id).keyMaterialId("ab".repeat(32))));
    assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
  }

  @Test
  void deleteImportedKeyMaterial_withTheCurrentKeyMaterialId_deletesTheCurrentMaterial()
      throws Exception {
    KmsClient kms = client();
    String id = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
    importMaterial(kms, id, ImportAndUsageConformanceTest.material());
    String current = kms.describeKey(b -> b.keyId(id)).keyMetadata().currentKeyMaterialId();

    var deleted = kms.deleteImportedKeyMaterial(b -> b.keyId(id).keyMaterialId(current));

    assertThat(deleted.keyMaterialId()).isEqualTo(current);
    assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.PENDING_IMPORT);
  }

  // ---- ImportKeyMaterial: KeyMaterialId ----

  @Test
  void importKeyMaterial_keyMaterialIdWithNewKeyMaterial_isAValidationError() throws Exception {
    // API reference, ImportKeyMaterial: "You cannot specify a key material ID with ImportType set
    // to NEW_KEY_MATERIAL"; before the first import ImportType defaults to NEW_KEY_MATERIAL.
    KmsClient kms = client();
    String id = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
    byte[] material = ImportAndUsageConformanceTest.material();
    String someId = "cd".repeat(32);

    error(
        KmsException.class,
        "ValidationException",
        () -> importMaterial(kms, id, material, ImportType.NEW_KEY_MATERIAL, someId));
    error(
        KmsException.class,
        "ValidationException",
        () -> importMaterial(kms, id, material, null, someId));
    assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.PENDING_IMPORT);
  }

  @Test
  void importKeyMaterial_reimportWithAKeyMaterialId_mustNameThatMaterial() throws Exception {
    // API reference, ImportKeyMaterial: on re-import with a key material id, KMS computes the
    // identifier of the material and matches it against the id given.
    KmsClient kms = client();
    String id = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
    byte[] material = ImportAndUsageConformanceTest.material();
    importMaterial(kms, id, material);
    String current = kms.describeKey(b -> b.keyId(id)).keyMetadata().currentKeyMaterialId();
    kms.deleteImportedKeyMaterial(b -> b.keyId(id));

    error(
        IncorrectKeyMaterialException.class,
        "IncorrectKeyMaterialException",
        () -> importMaterial(kms, id, material, ImportType.EXISTING_KEY_MATERIAL, "ef".repeat(32)));
    importMaterial(kms, id, material, ImportType.EXISTING_KEY_MATERIAL, current);
    assertThat(kms.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
  }

  @Test
  void importKeyMaterial_keyMaterialIdOnAnAsymmetricKey_isAValidationError() throws Exception {
    // API reference, ImportKeyMaterial: KeyMaterialId "is optional and only usable with symmetric
    // encryption keys".
    KmsClient kms = client();
    String id =
        kms.createKey(
                b ->
                    b.origin(OriginType.EXTERNAL)
                        .keySpec(KeySpec.HMAC_256)
                        .keyUsage(KeyUsageType.GENERATE_VERIFY_MAC))
            .keyMetadata()
            .keyId();

    error(
        KmsException.class,
        "ValidationException",
        () ->
            importMaterial(
                kms,
                id,
                ImportAndUsageConformanceTest.material(),
                ImportType.EXISTING_KEY_MATERIAL,
                "ab".repeat(32)));
  }

  // ---- Decrypt and ReEncrypt: DryRun with DryRunModifiers IGNORE_CIPHERTEXT ----

  @Test
  void decrypt_dryRunIgnoringTheCiphertext_needsOnlyTheKey() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();

    error(
        DryRunOperationException.class,
        "DryRunOperationException",
        "The request would have succeeded, but the DryRun option is set.",
        () ->
            kms.decrypt(
                b ->
                    b.keyId(id)
                        .dryRun(true)
                        .dryRunModifiers(DryRunModifierType.IGNORE_CIPHERTEXT)));
    // a ciphertext given is not read
    error(
        DryRunOperationException.class,
        "DryRunOperationException",
        () ->
            kms.decrypt(
                b ->
                    b.keyId(id)
                        .ciphertextBlob(SdkBytes.fromUtf8String("not a ciphertext"))
                        .dryRun(true)
                        .dryRunModifiers(DryRunModifierType.IGNORE_CIPHERTEXT)));
    // KeyId is required then
    error(
        KmsException.class,
        "ValidationException",
        () ->
            kms.decrypt(b -> b.dryRun(true).dryRunModifiers(DryRunModifierType.IGNORE_CIPHERTEXT)));
    // the key must exist
    error(
        NotFoundException.class,
        "NotFoundException",
        () ->
            kms.decrypt(
                b ->
                    b.keyId("alias/none")
                        .dryRun(true)
                        .dryRunModifiers(DryRunModifierType.IGNORE_CIPHERTEXT)));
    // without DryRun the modifier does not apply: the ciphertext is required
    error(
        KmsException.class,
        "ValidationException",
        () -> kms.decrypt(b -> b.keyId(id).dryRunModifiers(DryRunModifierType.IGNORE_CIPHERTEXT)));
  }

  @Test
  void decrypt_dryRunIgnoringTheCiphertext_stillChecksAuthorization() {
    String keyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    String alice = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    kms(
        b ->
            b.enforcePolicies(true)
                .seed(
                    KmsSeed.builder()
                        .key(
                            k ->
                                k.keyId(keyId)
                                    .policy(
                                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                                            + "\"Allow\",\"Principal\":{\"AWS\":\""
                                            + alice
                                            + "\"},\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}]}"))
                        .build()));
    KmsClient aliceKms = client(Region.US_EAST_1, "AKIAALICE0000000001");

    error(
        KmsException.class,
        "AccessDeniedException",
        () ->
            aliceKms.decrypt(
                b ->
                    b.keyId(keyId)
                        .dryRun(true)
                        .dryRunModifiers(DryRunModifierType.IGNORE_CIPHERTEXT)));
  }

  @Test
  void reEncrypt_dryRunIgnoringTheCiphertext_needsTheSourceKeyId() {
    KmsClient kms = client();
    String source = kms.createKey().keyMetadata().keyId();
    String destination = kms.createKey().keyMetadata().keyId();

    error(
        DryRunOperationException.class,
        "DryRunOperationException",
        () ->
            kms.reEncrypt(
                b ->
                    b.sourceKeyId(source)
                        .destinationKeyId(destination)
                        .dryRun(true)
                        .dryRunModifiers(DryRunModifierType.IGNORE_CIPHERTEXT)));
    error(
        KmsException.class,
        "ValidationException",
        () ->
            kms.reEncrypt(
                b ->
                    b.destinationKeyId(destination)
                        .dryRun(true)
                        .dryRunModifiers(DryRunModifierType.IGNORE_CIPHERTEXT)));
    clock.advance(Duration.ofMinutes(1));
    // nothing was used
    assertThat(kms.getKeyLastUsage(b -> b.keyId(source)).keyLastUsage()).isNull();
  }

  // ---- DescribeKey: "If you specify a predefined AWS alias ..." ----

  @Test
  void describeKey_ofAPredefinedAwsAlias_createsItsAwsManagedKey() {
    // API reference, DescribeKey, KeyId: "If you specify a predefined AWS alias (an AWS alias
    // with no key ID), KMS associates the alias with an AWS managed key and returns its KeyId and
    // Arn in the response."
    KmsClient kms = client();
    assertThat(kms.listAliases().aliases())
        .filteredOn(a -> a.aliasName().equals("alias/aws/s3"))
        .singleElement()
        .satisfies(a -> assertThat(a.targetKeyId()).isNull());

    KeyMetadata md = kms.describeKey(b -> b.keyId("alias/aws/s3")).keyMetadata();

    assertThat(md.keyManager()).isEqualTo(KeyManagerType.AWS);
    assertThat(md.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(md.keySpec()).isEqualTo(KeySpec.SYMMETRIC_DEFAULT);
    assertThat(md.arn()).isEqualTo(keyArn("us-east-1", ACCOUNT, md.keyId()));
    assertThat(kms.listAliases().aliases())
        .filteredOn(a -> a.aliasName().equals("alias/aws/s3"))
        .singleElement()
        .satisfies(a -> assertThat(a.targetKeyId()).isEqualTo(md.keyId()));
    // the same key afterwards, by name or by alias ARN; AWS managed keys rotate every year
    assertThat(
            kms.describeKey(b -> b.keyId("arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/aws/s3"))
                .keyMetadata()
                .keyId())
        .isEqualTo(md.keyId());
    assertThat(kms.getKeyRotationStatus(b -> b.keyId(md.keyId())).keyRotationEnabled()).isTrue();
    assertThat(kms.listKeys().keys()).hasSize(1);
  }

  @Test
  void describeKey_ofAnAwsAliasThatIsNotPredefined_isNotFound() {
    KmsClient kms = client();
    error(
        NotFoundException.class,
        "NotFoundException",
        () -> kms.describeKey(b -> b.keyId("alias/aws/no-such-service")));
    assertThat(kms.listKeys().keys()).isEmpty();
  }

  // ---- UpdatePrimaryRegion: both keys "must be in the Enabled key state" ----

  @Test
  void updatePrimaryRegion_ofKeysWaitingForImportedMaterial_isPendingImport() {
    // Developer Guide, "Change the primary key in a set of multi-Region keys": "Both the primary
    // key and the replica key must be in the Enabled key state when the operation starts."
    KmsClient kms = client();
    var md = kms.createKey(b -> b.origin(OriginType.EXTERNAL).multiRegion(true)).keyMetadata();
    kms.replicateKey(b -> b.keyId(md.keyId()).replicaRegion("eu-west-1"));
    client(Region.EU_WEST_1).describeKey(b -> b.keyId(md.keyId())); // the replica is created

    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        md.arn() + " is pending import.",
        () -> kms.updatePrimaryRegion(b -> b.keyId(md.keyId()).primaryRegion("eu-west-1")));
    assertThat(kms.describeKey(b -> b.keyId(md.keyId())).keyMetadata().keyState())
        .isEqualTo(KeyState.PENDING_IMPORT);
  }

  // ---- DryRun (Developer Guide, "Testing your permissions") ----

  private static void dryRun(ThrowingCallable call) {
    error(
        DryRunOperationException.class,
        "DryRunOperationException",
        "The request would have succeeded, but the DryRun option is set.",
        call);
  }

  @Test
  void dryRun_onEveryOperationThatTakesIt_answersDryRunOperation_andChangesNothing()
      throws Exception {
    KmsClient kms = client();
    String sym = kms.createKey().keyMetadata().keyId();
    String rsa = key(kms, KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
    String hmac = key(kms, KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);
    String ecdh = key(kms, KeySpec.ECC_NIST_P256, KeyUsageType.KEY_AGREEMENT);
    var ciphertext = kms.encrypt(b -> b.keyId(sym).plaintext(CryptoConformanceTest.HELLO));
    var signature =
        kms.sign(
            b ->
                b.keyId(rsa)
                    .message(CryptoConformanceTest.HELLO)
                    .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_256));
    var mac =
        kms.generateMac(
            b ->
                b.keyId(hmac)
                    .message(CryptoConformanceTest.HELLO)
                    .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256));
    var grant =
        kms.createGrant(
            b -> b.keyId(sym).granteePrincipal(RETIRER).operations(GrantOperation.DECRYPT));
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    SdkBytes peer = SdkBytes.fromByteArray(ec.generateKeyPair().getPublic().getEncoded());
    clock.advance(Duration.ofMinutes(5));

    dryRun(
        () -> kms.encrypt(b -> b.keyId(sym).plaintext(CryptoConformanceTest.HELLO).dryRun(true)));
    dryRun(() -> kms.decrypt(b -> b.ciphertextBlob(ciphertext.ciphertextBlob()).dryRun(true)));
    dryRun(
        () ->
            kms.reEncrypt(
                b ->
                    b.ciphertextBlob(ciphertext.ciphertextBlob())
                        .destinationKeyId(sym)
                        .dryRun(true)));
    dryRun(() -> kms.generateDataKey(b -> b.keyId(sym).numberOfBytes(32).dryRun(true)));
    dryRun(
        () ->
            kms.generateDataKeyWithoutPlaintext(b -> b.keyId(sym).numberOfBytes(32).dryRun(true)));
    dryRun(
        () ->
            kms.generateDataKeyPair(
                b -> b.keyId(sym).keyPairSpec(DataKeyPairSpec.ECC_NIST_P256).dryRun(true)));
    dryRun(
        () ->
            kms.generateDataKeyPairWithoutPlaintext(
                b -> b.keyId(sym).keyPairSpec(DataKeyPairSpec.ECC_NIST_P256).dryRun(true)));
    dryRun(
        () ->
            kms.sign(
                b ->
                    b.keyId(rsa)
                        .message(CryptoConformanceTest.HELLO)
                        .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_256)
                        .dryRun(true)));
    dryRun(
        () ->
            kms.verify(
                b ->
                    b.keyId(rsa)
                        .message(CryptoConformanceTest.HELLO)
                        .signature(signature.signature())
                        .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_256)
                        .dryRun(true)));
    dryRun(
        () ->
            kms.generateMac(
                b ->
                    b.keyId(hmac)
                        .message(CryptoConformanceTest.HELLO)
                        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)
                        .dryRun(true)));
    dryRun(
        () ->
            kms.verifyMac(
                b ->
                    b.keyId(hmac)
                        .message(CryptoConformanceTest.HELLO)
                        .mac(mac.mac())
                        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)
                        .dryRun(true)));
    dryRun(
        () ->
            kms.deriveSharedSecret(
                b ->
                    b.keyId(ecdh)
                        .keyAgreementAlgorithm(KeyAgreementAlgorithmSpec.ECDH)
                        .publicKey(peer)
                        .dryRun(true)));
    dryRun(
        () ->
            kms.createGrant(
                b ->
                    b.keyId(sym)
                        .granteePrincipal(RETIRER)
                        .operations(GrantOperation.ENCRYPT)
                        .dryRun(true)));
    dryRun(() -> kms.retireGrant(b -> b.grantToken(grant.grantToken()).dryRun(true)));
    dryRun(() -> kms.revokeGrant(b -> b.keyId(sym).grantId(grant.grantId()).dryRun(true)));

    // nothing was used after the set-up, no grant was added, retired or revoked
    for (String key : List.of(sym, rsa, hmac, ecdh)) {
      var usage = kms.getKeyLastUsage(b -> b.keyId(key)).keyLastUsage();
      assertThat(usage == null || usage.timestamp().isBefore(START.plus(Duration.ofMinutes(5))))
          .as("last usage of %s", key)
          .isTrue();
    }
    assertThat(kms.listGrants(b -> b.keyId(sym)).grants())
        .extracting(g -> g.grantId())
        .containsExactly(grant.grantId());
  }

  @Test
  void dryRun_stillChecksTheParametersAndTheCiphertext() {
    // Developer Guide, "Testing your permissions": a dry run also verifies "that you have
    // specified the parameters in the call correctly" (ValidationException otherwise); without
    // IGNORE_CIPHERTEXT it validates the ciphertext (API reference, Decrypt, DryRunModifiers).
    KmsClient kms = client();
    String sym = kms.createKey().keyMetadata().keyId();
    String rsa = key(kms, KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
    String rsaEncrypt = key(kms, KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
    var ciphertext =
        kms.encrypt(
            b ->
                b.keyId(sym)
                    .plaintext(CryptoConformanceTest.HELLO)
                    .encryptionContext(Map.of("purpose", "test")));

    error(
        InvalidCiphertextException.class,
        "InvalidCiphertextException",
        () ->
            kms.decrypt(
                b ->
                    b.ciphertextBlob(ciphertext.ciphertextBlob())
                        .encryptionContext(Map.of("purpose", "other"))
                        .dryRun(true)));
    error(
        KmsException.class,
        "ValidationException",
        () ->
            kms.sign(
                b ->
                    b.keyId(rsa)
                        .message(SdkBytes.fromUtf8String("not a 32-byte digest"))
                        .messageType(MessageType.DIGEST)
                        .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_256)
                        .dryRun(true)));
    error(
        KmsException.class,
        "ValidationException",
        () ->
            kms.encrypt(
                b ->
                    b.keyId(rsaEncrypt)
                        .plaintext(SdkBytes.fromByteArray(new byte[400]))
                        .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256)
                        .dryRun(true)));
    kms.disableKey(b -> b.keyId(sym));
    error(
        DisabledException.class,
        "DisabledException",
        () -> kms.encrypt(b -> b.keyId(sym).plaintext(CryptoConformanceTest.HELLO).dryRun(true)));
  }

  /** Creates a key of {@code spec} for {@code usage} and returns its id. */
  private static String key(KmsClient kms, KeySpec spec, KeyUsageType usage) {
    return kms.createKey(b -> b.keySpec(spec).keyUsage(usage)).keyMetadata().keyId();
  }
}
