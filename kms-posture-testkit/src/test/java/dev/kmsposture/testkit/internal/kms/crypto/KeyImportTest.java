package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyImportTest {
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321";
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private final KeyImport keyImport = KeyImport.create();

  @Test
  void parametersForImport_returnsARsaPublicKeyValidFor24Hours() throws Exception {
    KeyImport.ImportParameters parameters =
        keyImport.parametersForImport(
            KeySpec.SYMMETRIC_DEFAULT,
            KEY_ARN,
            WrappingAlgorithm.RSAES_OAEP_SHA_256,
            WrappingKeySpec.RSA_3072,
            NOW);

    RSAPublicKey publicKey =
        (RSAPublicKey)
            KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(parameters.publicKey()));
    assertThat(publicKey.getModulus().bitLength()).isEqualTo(3072);
    assertThat(parameters.parametersValidTo()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    assertThat(parameters.importToken().length).isBetween(1, 6144);
  }

  @Test
  void importKeyMaterial_symmetricWrappedOfflineWithOaep_importsTheMaterial() throws Exception {
    // given
    KeyImport.ImportParameters parameters =
        keyImport.parametersForImport(
            KeySpec.SYMMETRIC_DEFAULT,
            KEY_ARN,
            WrappingAlgorithm.RSAES_OAEP_SHA_256,
            WrappingKeySpec.RSA_2048,
            NOW);
    byte[] material = CryptoRandom.bytes(32);
    byte[] wrapped = oaep(parameters.publicKey(), "SHA-256", material);

    // when
    KeyMaterial imported =
        keyImport.importKeyMaterial(
            KeySpec.SYMMETRIC_DEFAULT, KEY_ARN, parameters.importToken(), wrapped, NOW);

    // then
    assertThat(imported.origin()).isEqualTo(KeyMaterialOrigin.EXTERNAL);
    assertThat(imported.insecureEncoded()).isEqualTo(material);
    assertThat(imported.validTo()).isEmpty();
    byte[] blob =
        SymmetricEnvelope.encrypt(imported, KEY_ARN, new byte[] {5}, EncryptionContext.empty());
    assertThat(
            SymmetricEnvelope.decrypt(
                CiphertextBlob.parse(blob),
                KeyMaterial.imported(KeySpec.SYMMETRIC_DEFAULT, KEY_ARN, material),
                EncryptionContext.empty()))
        .containsExactly(5);
  }

  @ParameterizedTest
  @CsvSource({
    "ECC_NIST_P256, EC, secp256r1, RSA_AES_KEY_WRAP_SHA_256, SHA-256",
    "ECC_NIST_P521, EC, secp521r1, RSA_AES_KEY_WRAP_SHA_1, SHA-1",
    "RSA_2048, RSA, 2048, RSA_AES_KEY_WRAP_SHA_256, SHA-256",
    "ECC_NIST_EDWARDS25519, Ed25519, Ed25519, RSA_AES_KEY_WRAP_SHA_256, SHA-256"
  })
  void importKeyMaterial_privateKeyWrappedOfflineWithAesKwp_importsTheKeyPair(
      KeySpec spec, String algorithm, String size, WrappingAlgorithm wrapping, String digest)
      throws Exception {
    // given: the caller follows "Encrypt the key material" with plain JCA
    KeyImport.ImportParameters parameters =
        keyImport.parametersForImport(spec, KEY_ARN, wrapping, WrappingKeySpec.RSA_2048, NOW);
    KeyPair pair = KeyMaterialTest.jcaKeyPair(algorithm, size);
    byte[] aesKey = CryptoRandom.bytes(32);
    byte[] wrappedAesKey = oaep(parameters.publicKey(), digest, aesKey);
    Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
    kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
    byte[] wrappedMaterial = kwp.doFinal(pair.getPrivate().getEncoded());
    byte[] encrypted = concat(wrappedAesKey, wrappedMaterial);

    // when
    KeyMaterial imported =
        keyImport.importKeyMaterial(spec, KEY_ARN, parameters.importToken(), encrypted, NOW);

    // then
    assertThat(imported.spec()).isEqualTo(spec);
    assertThat(imported.publicKeyDer()).isEqualTo(pair.getPublic().getEncoded());
  }

  @Test
  void importKeyMaterial_hmacWithRsaAesKeyWrapSha1_importsTheMaterial() throws Exception {
    KeyImport.ImportParameters parameters =
        keyImport.parametersForImport(
            KeySpec.HMAC_384,
            KEY_ARN,
            WrappingAlgorithm.RSA_AES_KEY_WRAP_SHA_1,
            WrappingKeySpec.RSA_2048,
            NOW);
    byte[] material = CryptoRandom.bytes(100);
    byte[] aesKey = CryptoRandom.bytes(32);
    Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
    kwp.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
    byte[] encrypted = concat(oaep(parameters.publicKey(), "SHA-1", aesKey), kwp.doFinal(material));

    KeyMaterial imported =
        keyImport.importKeyMaterial(
            KeySpec.HMAC_384, KEY_ARN, parameters.importToken(), encrypted, NOW);

    assertThat(imported.insecureEncoded()).isEqualTo(material);
  }

  @Test
  void importKeyMaterial_sameMaterialTwice_hasTheSameKeyMaterialId() throws Exception {
    byte[] material = CryptoRandom.bytes(32);

    KeyMaterial first = importSymmetric(material);
    KeyMaterial second = importSymmetric(material);

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(importSymmetric(CryptoRandom.bytes(32)).id()).isNotEqualTo(first.id());
  }

  @Test
  void importKeyMaterial_tokenOfAnotherKey_isInvalidImportToken() throws Exception {
    KeyImport.ImportParameters parameters = symmetricParameters();
    byte[] wrapped = oaep(parameters.publicKey(), "SHA-256", CryptoRandom.bytes(32));

    assertThatThrownBy(
            () ->
                keyImport.importKeyMaterial(
                    KeySpec.SYMMETRIC_DEFAULT,
                    "another-key",
                    parameters.importToken(),
                    wrapped,
                    NOW))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidImportTokenException");
              assertThat(e.getMessage())
                  .isEqualTo("import token was issued for key [%s], not [another-key]", KEY_ARN);
            });
  }

  @Test
  void importKeyMaterial_after24Hours_isExpiredImportToken() throws Exception {
    KeyImport.ImportParameters parameters = symmetricParameters();
    byte[] wrapped = oaep(parameters.publicKey(), "SHA-256", CryptoRandom.bytes(32));

    KeyMaterial justInTime =
        keyImport.importKeyMaterial(
            KeySpec.SYMMETRIC_DEFAULT,
            KEY_ARN,
            parameters.importToken(),
            wrapped,
            NOW.plus(Duration.ofHours(24)).minusMillis(1));
    assertThat(justInTime.spec()).isEqualTo(KeySpec.SYMMETRIC_DEFAULT);
    assertThatThrownBy(
            () ->
                keyImport.importKeyMaterial(
                    KeySpec.SYMMETRIC_DEFAULT,
                    KEY_ARN,
                    parameters.importToken(),
                    wrapped,
                    NOW.plus(Duration.ofHours(24))))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> assertThat(e.code()).isEqualTo("ExpiredImportTokenException"));
  }

  @Test
  void importKeyMaterial_alteredOrForeignToken_isInvalidImportToken() throws Exception {
    KeyImport.ImportParameters parameters = symmetricParameters();
    byte[] wrapped = oaep(parameters.publicKey(), "SHA-256", CryptoRandom.bytes(32));
    byte[] altered = parameters.importToken();
    altered[altered.length / 2] ^= 1;

    assertThatThrownBy(
            () ->
                keyImport.importKeyMaterial(
                    KeySpec.SYMMETRIC_DEFAULT, KEY_ARN, altered, wrapped, NOW))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> assertThat(e.code()).isEqualTo("InvalidImportTokenException"));
    assertThatThrownBy(
            () ->
                KeyImport.create()
                    .importKeyMaterial(
                        KeySpec.SYMMETRIC_DEFAULT, KEY_ARN, parameters.importToken(), wrapped, NOW))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "import token does not authenticate: it was altered, or issued by another"
                            + " KMS instance"));
    assertThatThrownBy(
            () ->
                keyImport.importKeyMaterial(
                    KeySpec.SYMMETRIC_DEFAULT, KEY_ARN, new byte[] {1, 2, 3}, wrapped, NOW))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> assertThat(e.code()).isEqualTo("InvalidImportTokenException"));
  }

  @Test
  void importKeyMaterial_wrappedForAnotherPublicKey_isInvalidCiphertext() throws Exception {
    KeyImport.ImportParameters parameters = symmetricParameters();
    KeyImport.ImportParameters others = symmetricParameters();
    byte[] wrappedForOthers = oaep(others.publicKey(), "SHA-256", CryptoRandom.bytes(32));

    assertThatThrownBy(
            () ->
                keyImport.importKeyMaterial(
                    KeySpec.SYMMETRIC_DEFAULT,
                    KEY_ARN,
                    parameters.importToken(),
                    wrappedForOthers,
                    NOW))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidCiphertextException");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the key material does not unwrap with RSAES_OAEP_SHA_256 and this import"
                          + " token's wrapping key (wrapped for another public key, with another"
                          + " algorithm, or altered)");
            });
  }

  @Test
  void importKeyMaterial_wrappedWithTheOtherDigest_isInvalidCiphertext() throws Exception {
    KeyImport.ImportParameters parameters = symmetricParameters();
    byte[] wrappedWithSha1 = oaep(parameters.publicKey(), "SHA-1", CryptoRandom.bytes(32));

    assertThatThrownBy(
            () ->
                keyImport.importKeyMaterial(
                    KeySpec.SYMMETRIC_DEFAULT,
                    KEY_ARN,
                    parameters.importToken(),
                    wrappedWithSha1,
                    NOW))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> assertThat(e.code()).isEqualTo("InvalidCiphertextException"));
  }

  @Test
  void importKeyMaterial_materialThatDoesNotFitTheSpec_isIncorrectKeyMaterial() throws Exception {
    KeyImport.ImportParameters parameters = symmetricParameters();
    byte[] wrapped = oaep(parameters.publicKey(), "SHA-256", CryptoRandom.bytes(16));

    assertThatThrownBy(
            () ->
                keyImport.importKeyMaterial(
                    KeySpec.SYMMETRIC_DEFAULT, KEY_ARN, parameters.importToken(), wrapped, NOW))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("IncorrectKeyMaterialException");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "key material for key spec [SYMMETRIC_DEFAULT] has 16 bytes; it needs 32"
                          + " bytes");
            });
  }

  @Test
  void parametersForImport_refusesTheCombinationsAwsRefuses() {
    assertThatThrownBy(
            () ->
                keyImport.parametersForImport(
                    KeySpec.SYMMETRIC_DEFAULT,
                    KEY_ARN,
                    WrappingAlgorithm.RSAES_PKCS1_V1_5,
                    WrappingKeySpec.RSA_2048,
                    NOW))
        .isInstanceOfSatisfying(
            KmsCryptoException.class, e -> assertThat(e.code()).isEqualTo("ValidationException"));
    assertThatThrownBy(
            () ->
                keyImport.parametersForImport(
                    KeySpec.RSA_2048,
                    KEY_ARN,
                    WrappingAlgorithm.RSAES_OAEP_SHA_256,
                    WrappingKeySpec.RSA_4096,
                    NOW))
        .hasMessage(
            "Wrapping algorithm RSAES_OAEP_SHA_256 cannot wrap RSA_2048 key material; RSA private"
                + " keys need RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.");
    assertThatThrownBy(
            () ->
                keyImport.parametersForImport(
                    KeySpec.ECC_NIST_P521,
                    KEY_ARN,
                    WrappingAlgorithm.RSAES_OAEP_SHA_1,
                    WrappingKeySpec.RSA_2048,
                    NOW))
        .isInstanceOfSatisfying(
            KmsCryptoException.class, e -> assertThat(e.code()).isEqualTo("ValidationException"));
    assertThatThrownBy(
            () ->
                keyImport.parametersForImport(
                    KeySpec.SYMMETRIC_DEFAULT,
                    KEY_ARN,
                    WrappingAlgorithm.SM2PKE,
                    WrappingKeySpec.SM2,
                    NOW))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> assertThat(e.code()).isEqualTo("UnsupportedOperationException"));
  }

  @Test
  void requireValidTo_futureAndAtMost365Days() {
    KeyImport.requireValidTo(NOW.plus(Duration.ofDays(365)), NOW);

    assertThatThrownBy(() -> KeyImport.requireValidTo(NOW, NOW))
        .isInstanceOfSatisfying(
            KmsCryptoException.class, e -> assertThat(e.code()).isEqualTo("ValidationException"));
    assertThatThrownBy(
            () -> KeyImport.requireValidTo(NOW.plus(Duration.ofDays(365)).plusSeconds(1), NOW))
        .hasMessage(
            "ValidTo [2027-06-01T12:00:01Z] must be at most 365 days after the request"
                + " (2026-06-01T12:00:00Z)");
  }

  @Test
  void importParameters_toStringShowsNoKeyBytes() {
    KeyImport.ImportParameters parameters = symmetricParameters();

    assertThat(parameters.toString())
        .isEqualTo(
            "ImportParameters[publicKey=%d bytes, importToken=%d bytes,"
                + " parametersValidTo=2026-06-02T12:00:00Z]",
            parameters.publicKey().length, parameters.importToken().length);
  }

  private KeyImport.ImportParameters symmetricParameters() {
    return keyImport.parametersForImport(
        KeySpec.SYMMETRIC_DEFAULT,
        KEY_ARN,
        WrappingAlgorithm.RSAES_OAEP_SHA_256,
        WrappingKeySpec.RSA_2048,
        NOW);
  }

  private KeyMaterial importSymmetric(byte[] material) throws Exception {
    KeyImport.ImportParameters parameters = symmetricParameters();
    return keyImport.importKeyMaterial(
        KeySpec.SYMMETRIC_DEFAULT,
        KEY_ARN,
        parameters.importToken(),
        oaep(parameters.publicKey(), "SHA-256", material),
        NOW);
  }

  private static byte[] oaep(byte[] publicKeyDer, String digest, byte[] plaintext)
      throws Exception {
    PublicKey publicKey =
        KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(publicKeyDer));
    Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
    cipher.init(
        Cipher.ENCRYPT_MODE,
        publicKey,
        new OAEPParameterSpec(
            digest,
            "MGF1",
            "SHA-1".equals(digest) ? MGF1ParameterSpec.SHA1 : MGF1ParameterSpec.SHA256,
            PSource.PSpecified.DEFAULT));
    return cipher.doFinal(plaintext);
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
