package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.testkit.kms.PendingDeletionError;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeyPairSpec;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.DryRunOperationException;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeyAgreementAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidMacException;
import software.amazon.awssdk.services.kms.model.KmsInvalidSignatureException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/** The cryptographic operations, their errors, and the key states they respect. */
class CryptoConformanceTest extends ConformanceTest {
  static final SdkBytes HELLO = SdkBytes.fromString("hello, world", StandardCharsets.UTF_8);

  private KeyMetadata key(KmsClient kms, KeySpec spec, KeyUsageType usage) {
    return kms.createKey(b -> b.keySpec(spec).keyUsage(usage)).keyMetadata();
  }

  // ---- symmetric ----

  @Test
  void encryptDecrypt_roundTripsUnderTheEncryptionContext_withoutAKeyId() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();
    Map<String, String> ec = Map.of("purpose", "test", "tenant", "42");

    var enc = kms.encrypt(b -> b.keyId(md.keyId()).plaintext(HELLO).encryptionContext(ec));
    DecryptResponse dec =
        kms.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob()).encryptionContext(ec));

    assertThat(enc.keyId()).isEqualTo(md.arn());
    assertThat(enc.encryptionAlgorithm()).isEqualTo(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT);
    assertThat(dec.plaintext()).isEqualTo(HELLO);
    assertThat(dec.keyId()).isEqualTo(md.arn());
    assertThat(dec.keyMaterialId()).isEqualTo(md.currentKeyMaterialId());
  }

  @Test
  void decrypt_withAnotherEncryptionContext_isTheRecordedInvalidCiphertext() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    var enc = kms.encrypt(b -> b.keyId(id).plaintext(HELLO).encryptionContext(Map.of("a", "1")));

    error(
        InvalidCiphertextException.class,
        "InvalidCiphertextException",
        "",
        () -> kms.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())));
    error(
        InvalidCiphertextException.class,
        "InvalidCiphertextException",
        "",
        () ->
            kms.decrypt(
                b -> b.ciphertextBlob(enc.ciphertextBlob()).encryptionContext(Map.of("a", "2"))));
    error(
        InvalidCiphertextException.class,
        "InvalidCiphertextException",
        "",
        () -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromUtf8String("not a ciphertext"))));
  }

  @Test
  void decrypt_withAKeyIdOtherThanTheCiphertextsKey_isTheRecordedIncorrectKey() {
    KmsClient kms = client();
    String a = kms.createKey().keyMetadata().keyId();
    String b = kms.createKey().keyMetadata().keyId();
    var enc = kms.encrypt(r -> r.keyId(a).plaintext(HELLO));
    error(
        IncorrectKeyException.class,
        "IncorrectKeyException",
        "The key ID in the request does not identify a CMK that can perform this operation.",
        () -> kms.decrypt(r -> r.ciphertextBlob(enc.ciphertextBlob()).keyId(b)));
  }

  @Test
  void encrypt_plaintextOver4096Bytes_isTheRecordedValidationError() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member"
            + " must have length less than or equal to 4096",
        () -> kms.encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromByteArray(new byte[4097]))));
  }

  @Test
  void cryptoOnAKeyOfAnotherUsage_isTheRecordedInvalidKeyUsage() {
    KmsClient kms = client();
    KeyMetadata symmetric = kms.createKey().keyMetadata();
    KeyMetadata hmac = key(kms, KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);
    KeyMetadata signing = key(kms, KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);

    error(
        InvalidKeyUsageException.class,
        "InvalidKeyUsageException",
        symmetric.arn() + " key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.",
        () ->
            kms.generateMac(
                b ->
                    b.keyId(symmetric.keyId())
                        .message(HELLO)
                        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)));
    error(
        InvalidKeyUsageException.class,
        "InvalidKeyUsageException",
        hmac.arn() + " key usage is GENERATE_VERIFY_MAC which is not valid for Sign.",
        () ->
            kms.sign(
                b ->
                    b.keyId(hmac.keyId())
                        .message(HELLO)
                        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)));
    error(
        InvalidKeyUsageException.class,
        "InvalidKeyUsageException",
        signing.arn() + " key usage is SIGN_VERIFY which is not valid for Encrypt.",
        () -> kms.encrypt(b -> b.keyId(signing.keyId()).plaintext(HELLO)));
    var enc = kms.encrypt(b -> b.keyId(symmetric.keyId()).plaintext(HELLO));
    error(
        IncorrectKeyException.class,
        "IncorrectKeyException",
        () -> kms.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob()).keyId(hmac.keyId())));
  }

  @Test
  void crypto_respectsTheKeyState() {
    KmsClient kms = client();
    KeyMetadata disabled = kms.createKey().keyMetadata();
    kms.disableKey(b -> b.keyId(disabled.keyId()));
    KeyMetadata pending = kms.createKey().keyMetadata();
    var enc = kms.encrypt(b -> b.keyId(pending.keyId()).plaintext(HELLO));
    kms.scheduleKeyDeletion(b -> b.keyId(pending.keyId()));
    KeyMetadata importing = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata();

    error(
        DisabledException.class,
        "DisabledException",
        disabled.arn() + " is disabled.",
        () -> kms.encrypt(b -> b.keyId(disabled.keyId()).plaintext(HELLO)));
    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        pending.arn() + " is pending deletion.",
        () -> kms.decrypt(b -> b.ciphertextBlob(enc.ciphertextBlob())));
    // Recorded from AWS.
    error(
        KmsInvalidStateException.class,
        "KMSInvalidStateException",
        importing.arn() + " is pending import.",
        () -> kms.encrypt(b -> b.keyId(importing.keyId()).plaintext(HELLO)));
  }

  @Test
  void crypto_onAKeyPendingDeletion_canAnswerDisabledException_whenConfigured() {
    kms(b -> b.pendingDeletionError(PendingDeletionError.DISABLED));
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();
    kms.scheduleKeyDeletion(b -> b.keyId(md.keyId()));
    error(
        DisabledException.class,
        "DisabledException",
        md.arn() + " is pending deletion.",
        () -> kms.encrypt(b -> b.keyId(md.keyId()).plaintext(HELLO)));
  }

  @Test
  void oldCiphertexts_decryptAfterRotation_withTheirOwnMaterial() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();
    var old = kms.encrypt(b -> b.keyId(md.keyId()).plaintext(HELLO));
    kms.rotateKeyOnDemand(b -> b.keyId(md.keyId()));
    clock.advance(Duration.ofSeconds(1));

    var fresh = kms.encrypt(b -> b.keyId(md.keyId()).plaintext(HELLO));
    var decOld = kms.decrypt(b -> b.ciphertextBlob(old.ciphertextBlob()));
    var decFresh = kms.decrypt(b -> b.ciphertextBlob(fresh.ciphertextBlob()));

    assertThat(decOld.plaintext()).isEqualTo(HELLO);
    assertThat(decOld.keyMaterialId()).isEqualTo(md.currentKeyMaterialId());
    assertThat(decFresh.keyMaterialId()).isNotEqualTo(md.currentKeyMaterialId());
  }

  @Test
  void multiRegionCiphertext_decryptsWithTheRelatedKeyInAnotherRegion_butASingleRegionOneDoesNot() {
    KmsClient kms = client();
    KeyMetadata mrk = kms.createKey(b -> b.multiRegion(true)).keyMetadata();
    kms.replicateKey(b -> b.keyId(mrk.keyId()).replicaRegion("eu-west-1"));
    KeyMetadata single = kms.createKey().keyMetadata();
    var encMrk = kms.encrypt(b -> b.keyId(mrk.keyId()).plaintext(HELLO));
    var encSingle = kms.encrypt(b -> b.keyId(single.keyId()).plaintext(HELLO));
    KmsClient eu = client(Region.EU_WEST_1);

    var dec = eu.decrypt(b -> b.ciphertextBlob(encMrk.ciphertextBlob()));
    var decNamed = eu.decrypt(b -> b.ciphertextBlob(encMrk.ciphertextBlob()).keyId(mrk.keyId()));

    assertThat(dec.plaintext()).isEqualTo(HELLO);
    assertThat(dec.keyId()).isEqualTo(keyArn("eu-west-1", ACCOUNT, mrk.keyId()));
    assertThat(decNamed.plaintext()).isEqualTo(HELLO);
    error(
        InvalidCiphertextException.class,
        "InvalidCiphertextException",
        () -> eu.decrypt(b -> b.ciphertextBlob(encSingle.ciphertextBlob())));
  }

  @Test
  void reEncrypt_movesACiphertextToAnotherKeyAndContext() {
    KmsClient kms = client();
    KeyMetadata a = kms.createKey().keyMetadata();
    KeyMetadata b = kms.createKey().keyMetadata();
    var enc =
        kms.encrypt(r -> r.keyId(a.keyId()).plaintext(HELLO).encryptionContext(Map.of("k", "1")));

    var re =
        kms.reEncrypt(
            r ->
                r.ciphertextBlob(enc.ciphertextBlob())
                    .sourceEncryptionContext(Map.of("k", "1"))
                    .destinationKeyId(b.keyId())
                    .destinationEncryptionContext(Map.of("k", "2")));

    assertThat(re.sourceKeyId()).isEqualTo(a.arn());
    assertThat(re.keyId()).isEqualTo(b.arn());
    assertThat(re.sourceKeyMaterialId()).isEqualTo(a.currentKeyMaterialId());
    assertThat(re.destinationKeyMaterialId()).isEqualTo(b.currentKeyMaterialId());
    var dec =
        kms.decrypt(r -> r.ciphertextBlob(re.ciphertextBlob()).encryptionContext(Map.of("k", "2")));
    assertThat(dec.plaintext()).isEqualTo(HELLO);
    assertThat(dec.keyId()).isEqualTo(b.arn());
  }

  @Test
  void dryRun_checksEverythingButDoesNothing() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        DryRunOperationException.class,
        "DryRunOperationException",
        "The request would have succeeded, but the DryRun option is set.",
        () -> kms.encrypt(b -> b.keyId(id).plaintext(HELLO).dryRun(true)));
  }

  // ---- data keys and random ----

  @Test
  void generateDataKey_plaintextDecryptsFromItsCiphertext() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();

    var dk =
        kms.generateDataKey(
            b ->
                b.keyId(md.keyId())
                    .keySpec(DataKeySpec.AES_256)
                    .encryptionContext(Map.of("a", "b")));
    var noPlain = kms.generateDataKeyWithoutPlaintext(b -> b.keyId(md.keyId()).numberOfBytes(16));

    assertThat(dk.plaintext().asByteArray()).hasSize(32);
    assertThat(dk.keyId()).isEqualTo(md.arn());
    assertThat(dk.keyMaterialId()).isEqualTo(md.currentKeyMaterialId());
    assertThat(
            kms.decrypt(
                    b -> b.ciphertextBlob(dk.ciphertextBlob()).encryptionContext(Map.of("a", "b")))
                .plaintext())
        .isEqualTo(dk.plaintext());
    assertThat(
            kms.decrypt(b -> b.ciphertextBlob(noPlain.ciphertextBlob())).plaintext().asByteArray())
        .hasSize(16);
  }

  @Test
  void generateDataKey_bothOrNeitherOfKeySpecAndNumberOfBytes_isAValidationError() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        KmsException.class,
        "ValidationException",
        "Please specify either number of bytes or key spec.",
        () -> kms.generateDataKey(b -> b.keyId(id)));
    error(
        KmsException.class,
        "ValidationException",
        "Please specify either number of bytes or key spec.",
        () -> kms.generateDataKey(b -> b.keyId(id).numberOfBytes(32).keySpec(DataKeySpec.AES_128)));
  }

  @Test
  void generateDataKeyPair_privateKeyCiphertextDecryptsToThePrivateKey() {
    KmsClient kms = client();
    KeyMetadata md = kms.createKey().keyMetadata();

    var pair =
        kms.generateDataKeyPair(
            b -> b.keyId(md.keyId()).keyPairSpec(DataKeyPairSpec.ECC_NIST_P256));
    var noPlain =
        kms.generateDataKeyPairWithoutPlaintext(
            b -> b.keyId(md.keyId()).keyPairSpec(DataKeyPairSpec.RSA_2048));

    assertThat(pair.keyPairSpec()).isEqualTo(DataKeyPairSpec.ECC_NIST_P256);
    assertThat(kms.decrypt(b -> b.ciphertextBlob(pair.privateKeyCiphertextBlob())).plaintext())
        .isEqualTo(pair.privateKeyPlaintext());
    assertThat(noPlain.publicKey().asByteArray()).isNotEmpty();
  }

  @Test
  void generateRandom_hasTheRecordedLimits() {
    KmsClient kms = client();
    assertThat(kms.generateRandom(b -> b.numberOfBytes(1024)).plaintext().asByteArray())
        .hasSize(1024);
    error(
        KmsException.class,
        "ValidationException",
        "NumberOfBytes is required.",
        () -> kms.generateRandom(b -> {}));
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint:"
            + " Member must have value greater than or equal to 1",
        () -> kms.generateRandom(b -> b.numberOfBytes(0)));
    error(
        KmsException.class,
        "ValidationException",
        "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy"
            + " constraint: Member must have value less than or equal to 1024",
        () -> kms.generateRandom(b -> b.numberOfBytes(1025)));
  }

  // ---- asymmetric ----

  @Test
  void rsaEncryption_madeOfflineWithThePublicKey_decrypts() throws Exception {
    KmsClient kms = client();
    KeyMetadata md = key(kms, KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
    var pub = kms.getPublicKey(b -> b.keyId(md.keyId()));
    PublicKey publicKey =
        KeyFactory.getInstance("RSA")
            .generatePublic(new X509EncodedKeySpec(pub.publicKey().asByteArray()));
    Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
    oaep.init(
        Cipher.ENCRYPT_MODE,
        publicKey,
        new OAEPParameterSpec(
            "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
    byte[] offline = oaep.doFinal(HELLO.asByteArray());

    var dec =
        kms.decrypt(
            b ->
                b.keyId(md.keyId())
                    .ciphertextBlob(SdkBytes.fromByteArray(offline))
                    .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256));

    assertThat(dec.plaintext()).isEqualTo(HELLO);
    assertThat(pub.encryptionAlgorithmsAsStrings())
        .containsExactly("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256");
    assertThat(pub.keyUsage()).isEqualTo(KeyUsageType.ENCRYPT_DECRYPT);
    error(
        KmsException.class,
        "ValidationException",
        "Algorithm RSAES_OAEP_SHA_1 and key spec RSA_2048 cannot encrypt data larger than 214 bytes.",
        () ->
            kms.encrypt(
                b ->
                    b.keyId(md.keyId())
                        .plaintext(SdkBytes.fromByteArray(new byte[215]))
                        .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1)));
  }

  @Test
  void signVerify_ecdsaAndRsaPss_andABadSignatureIsTheRecordedError() {
    KmsClient kms = client();
    for (var spec : new KeySpec[] {KeySpec.ECC_NIST_P256, KeySpec.RSA_2048}) {
      KeyMetadata md = key(kms, spec, KeyUsageType.SIGN_VERIFY);
      SigningAlgorithmSpec alg =
          spec == KeySpec.RSA_2048
              ? SigningAlgorithmSpec.RSASSA_PSS_SHA_256
              : SigningAlgorithmSpec.ECDSA_SHA_256;

      var sig = kms.sign(b -> b.keyId(md.keyId()).message(HELLO).signingAlgorithm(alg));
      var ok =
          kms.verify(
              b ->
                  b.keyId(md.keyId())
                      .message(HELLO)
                      .signature(sig.signature())
                      .signingAlgorithm(alg));

      assertThat(sig.keyId()).isEqualTo(md.arn());
      assertThat(ok.signatureValid()).isTrue();
      error(
          KmsInvalidSignatureException.class,
          "KMSInvalidSignatureException",
          "",
          () ->
              kms.verify(
                  b ->
                      b.keyId(md.keyId())
                          .message(SdkBytes.fromUtf8String("other"))
                          .signature(sig.signature())
                          .signingAlgorithm(alg)));
      error(
          KmsException.class,
          "ValidationException",
          "Digest is invalid length for algorithm " + alg + ".",
          () ->
              kms.sign(
                  b ->
                      b.keyId(md.keyId())
                          .message(HELLO)
                          .messageType(MessageType.DIGEST)
                          .signingAlgorithm(alg)));
    }
  }

  @Test
  void secp256k1_signsAndVerifies_rawAndDigest() throws Exception {
    // AWS-validated: ECC_SECG_P256K1 keys sign and verify (the JDK 17 provider lacks the curve's
    // arithmetic; the engine has its own).
    KmsClient kms = client();
    KeyMetadata md = key(kms, KeySpec.ECC_SECG_P256_K1, KeyUsageType.SIGN_VERIFY);
    var sig =
        kms.sign(
            b ->
                b.keyId(md.keyId())
                    .message(HELLO)
                    .messageType(MessageType.RAW)
                    .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256));
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(HELLO.asByteArray());
    var ok =
        kms.verify(
            b ->
                b.keyId(md.keyId())
                    .message(SdkBytes.fromByteArray(digest))
                    .messageType(MessageType.DIGEST)
                    .signature(sig.signature())
                    .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256));
    var publicKey =
        (java.security.interfaces.ECPublicKey)
            KeyFactory.getInstance("EC")
                .generatePublic(
                    new X509EncodedKeySpec(
                        kms.getPublicKey(b -> b.keyId(md.keyId())).publicKey().asByteArray()));

    assertThat(md.signingAlgorithms()).containsExactly(SigningAlgorithmSpec.ECDSA_SHA_256);
    assertThat(sig.keyId()).isEqualTo(md.arn());
    assertThat(ok.signatureValid()).isTrue();
    assertThat(publicKey.getParams().getOrder().toString(16))
        .isEqualTo("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    error(
        KmsInvalidSignatureException.class,
        "KMSInvalidSignatureException",
        "",
        () ->
            kms.verify(
                b ->
                    b.keyId(md.keyId())
                        .message(SdkBytes.fromUtf8String("other"))
                        .messageType(MessageType.RAW)
                        .signature(sig.signature())
                        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)));
  }

  @Test
  void signDigest_equalsSigningTheMessage() throws Exception {
    KmsClient kms = client();
    KeyMetadata md = key(kms, KeySpec.ECC_NIST_P384, KeyUsageType.SIGN_VERIFY);
    byte[] digest = MessageDigest.getInstance("SHA-384").digest(HELLO.asByteArray());

    var sig =
        kms.sign(
            b ->
                b.keyId(md.keyId())
                    .message(SdkBytes.fromByteArray(digest))
                    .messageType(MessageType.DIGEST)
                    .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384));

    assertThat(
            kms.verify(
                    b ->
                        b.keyId(md.keyId())
                            .message(HELLO)
                            .signature(sig.signature())
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384))
                .signatureValid())
        .isTrue();
  }

  @Test
  void hmac_generateAndVerify_andTheRecordedErrors() {
    KmsClient kms = client();
    KeyMetadata md = key(kms, KeySpec.HMAC_224, KeyUsageType.GENERATE_VERIFY_MAC);

    var mac =
        kms.generateMac(
            b -> b.keyId(md.keyId()).message(HELLO).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_224));
    var ok =
        kms.verifyMac(
            b ->
                b.keyId(md.keyId())
                    .message(HELLO)
                    .mac(mac.mac())
                    .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_224));

    assertThat(ok.macValid()).isTrue();
    error(
        KmsInvalidMacException.class,
        "KMSInvalidMacException",
        "",
        () ->
            kms.verifyMac(
                b ->
                    b.keyId(md.keyId())
                        .message(SdkBytes.fromUtf8String("other"))
                        .mac(mac.mac())
                        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_224)));
    error(
        InvalidKeyUsageException.class,
        "InvalidKeyUsageException",
        "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.",
        () ->
            kms.generateMac(
                b ->
                    b.keyId(md.keyId())
                        .message(HELLO)
                        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)));
  }

  @Test
  void macAlgorithm_outsideTheEnum_isTheRecordedValidationError_inAwsOrder() {
    // Recorded from AWS (GenerateMac and VerifyMac): the value set in this order.
    KmsClient kms = client();
    KeyMetadata md = key(kms, KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);
    String message =
        "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy"
            + " constraint: Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256,"
            + " HMAC_SHA_224, HMAC_SHA_512]";

    error(
        KmsException.class,
        "ValidationException",
        message,
        () -> kms.generateMac(b -> b.keyId(md.keyId()).message(HELLO).macAlgorithm("INVALID")));
    error(
        KmsException.class,
        "ValidationException",
        message,
        () ->
            kms.verifyMac(
                b ->
                    b.keyId(md.keyId())
                        .message(HELLO)
                        .mac(SdkBytes.fromUtf8String("mac"))
                        .macAlgorithm("INVALID")));
  }

  @Test
  void deriveSharedSecret_withAPublicKeyThatIsNoKey_isTheRecordedValidationErrorWithoutMessage() {
    KmsClient kms = client();
    KeyMetadata md = key(kms, KeySpec.ECC_NIST_P256, KeyUsageType.KEY_AGREEMENT);

    error(
        KmsException.class,
        "ValidationException",
        "",
        () ->
            kms.deriveSharedSecret(
                b ->
                    b.keyId(md.keyId())
                        .keyAgreementAlgorithm(KeyAgreementAlgorithmSpec.ECDH)
                        .publicKey(SdkBytes.fromUtf8String("InvalidPublicKey"))));
  }

  @Test
  void deriveSharedSecret_equalsTheSecretThePeerDerives() throws Exception {
    KmsClient kms = client();
    KeyMetadata md = key(kms, KeySpec.ECC_NIST_P256, KeyUsageType.KEY_AGREEMENT);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair peer = g.generateKeyPair();

    var r =
        kms.deriveSharedSecret(
            b ->
                b.keyId(md.keyId())
                    .keyAgreementAlgorithm(KeyAgreementAlgorithmSpec.ECDH)
                    .publicKey(SdkBytes.fromByteArray(peer.getPublic().getEncoded())));
    PublicKey kmsPublic =
        KeyFactory.getInstance("EC")
            .generatePublic(
                new X509EncodedKeySpec(
                    kms.getPublicKey(b -> b.keyId(md.keyId())).publicKey().asByteArray()));
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(peer.getPrivate());
    ka.doPhase(kmsPublic, true);

    assertThat(r.sharedSecret().asByteArray()).isEqualTo(ka.generateSecret());
    assertThat(r.keyOriginAsString()).isEqualTo("AWS_KMS");
  }

  @Test
  void getPublicKey_ofASymmetricKey_isUnsupported() {
    KmsClient kms = client();
    String id = kms.createKey().keyMetadata().keyId();
    error(
        UnsupportedOperationException.class,
        "UnsupportedOperationException",
        () -> kms.getPublicKey(b -> b.keyId(id)));
  }

  @Test
  void unsupportedKeySpec_isRefusedAtCreateKeyWithTheReason() {
    KmsException e =
        error(
            UnsupportedOperationException.class,
            "UnsupportedOperationException",
            () ->
                client()
                    .createKey(
                        b -> b.keySpec(KeySpec.ML_DSA_65).keyUsage(KeyUsageType.SIGN_VERIFY)));
    assertThat(e.awsErrorDetails().errorMessage()).contains("ML_DSA_65");
  }
}
