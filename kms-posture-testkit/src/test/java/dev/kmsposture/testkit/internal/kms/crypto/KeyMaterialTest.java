package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class KeyMaterialTest {
  private static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

  @ParameterizedTest
  @EnumSource(
      value = KeySpec.class,
      names = {"SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"})
  void generate_secretSpecs_haveTheSpecsKeyLength(KeySpec spec) {
    KeyMaterial material = TestKeys.of(spec);

    assertThat(material.insecureEncoded()).hasSize(spec.bits() / 8);
    assertThat(material.origin()).isEqualTo(KeyMaterialOrigin.AWS_KMS);
    assertThat(material.id().value()).hasSize(64);
    assertThatThrownBy(material::publicKeyDer)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("key spec [%s] has a secret key, not a key pair", spec.wireName());
  }

  @ParameterizedTest
  @CsvSource({
    "RSA_2048, RSA",
    "RSA_3072, RSA",
    "RSA_4096, RSA",
    "ECC_NIST_P256, EC",
    "ECC_NIST_P384, EC",
    "ECC_NIST_P521, EC",
    "ECC_NIST_EDWARDS25519, Ed25519"
  })
  void generate_keyPairSpecs_exportAPublicKeyThatPlainJcaReads(KeySpec spec, String algorithm)
      throws Exception {
    KeyMaterial material = TestKeys.of(spec);

    var publicKey =
        KeyFactory.getInstance(algorithm)
            .generatePublic(new X509EncodedKeySpec(material.publicKeyDer()));

    assertThat(publicKey.getEncoded()).isEqualTo(material.publicKeyDer());
    if (spec.family() == KeySpec.Family.RSA) {
      assertThat(((java.security.interfaces.RSAPublicKey) publicKey).getModulus().bitLength())
          .isEqualTo(spec.bits());
    }
    if (spec.family() == KeySpec.Family.ECC_NIST) {
      assertThat(
              KeyMaterial.sameCurve(
                  ((java.security.interfaces.ECPublicKey) publicKey).getParams(),
                  KeyMaterial.curveParameters(spec.curve())))
          .isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = KeySpec.class,
      names = {
        "SM2",
        "ML_DSA_44",
        "ML_DSA_65",
        "ML_DSA_87",
        "ML_KEM_512",
        "ML_KEM_768",
        "ML_KEM_1024"
      })
  void generate_specTheJdkCannotDo_isAnUnsupportedOperation(KeySpec spec) {
    assertThatThrownBy(() -> KeyMaterial.generate(spec))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("UnsupportedOperationException");
              assertThat(e.awsMessage())
                  .isEqualTo(
                      "key spec [%s] is not supported by the embedded KMS: %s",
                      spec.wireName(), spec.unsupportedReason().orElseThrow());
            });
  }

  @Test
  void generate_secp256k1_signsAndVerifies_andImportsItsOwnPkcs8() {
    KeyMaterial generated = KeyMaterial.generate(KeySpec.ECC_SECG_P256K1);
    byte[] message = "secp256k1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] signature =
        Signatures.sign(generated, SigningAlgorithm.ECDSA_SHA_256, MessageType.RAW, message);

    assertThat(
            Signatures.verify(
                generated, SigningAlgorithm.ECDSA_SHA_256, MessageType.RAW, message, signature))
        .isTrue();
    assertThat(
            Signatures.verify(
                generated,
                SigningAlgorithm.ECDSA_SHA_256,
                MessageType.RAW,
                "other".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                signature))
        .isFalse();
    KeyMaterial imported =
        KeyMaterial.imported(
            KeySpec.ECC_SECG_P256K1,
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            generated.privateKey().getEncoded());
    assertThat(imported.publicKey().getEncoded()).isEqualTo(generated.publicKey().getEncoded());
    assertThat(
            Signatures.verify(
                imported, SigningAlgorithm.ECDSA_SHA_256, MessageType.RAW, message, signature))
        .isTrue();
  }

  @Test
  void toString_showsMetadataButNoSecret() {
    for (KeySpec spec :
        new KeySpec[] {KeySpec.SYMMETRIC_DEFAULT, KeySpec.HMAC_512, KeySpec.ECC_NIST_P256}) {
      KeyMaterial material = TestKeys.of(spec);

      String text = material.toString();

      assertThat(text)
          .isEqualTo(
              "KeyMaterial[spec=%s, id=%s, origin=AWS_KMS, secret=<redacted>]",
              spec.wireName(), material.id().value());
      TestKeys.assertDoesNotReveal(text, material.insecureEncoded());
    }
  }

  @Test
  void imported_symmetric_idDependsOnKeyAndMaterial() {
    byte[] bytes = CryptoRandom.bytes(32);

    KeyMaterial first = KeyMaterial.imported(KeySpec.SYMMETRIC_DEFAULT, KEY_ID, bytes);
    KeyMaterial again = KeyMaterial.imported(KeySpec.SYMMETRIC_DEFAULT, KEY_ID, bytes.clone());
    KeyMaterial elsewhere = KeyMaterial.imported(KeySpec.SYMMETRIC_DEFAULT, "other-key", bytes);
    KeyMaterial different =
        KeyMaterial.imported(KeySpec.SYMMETRIC_DEFAULT, KEY_ID, CryptoRandom.bytes(32));

    assertThat(first.origin()).isEqualTo(KeyMaterialOrigin.EXTERNAL);
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(elsewhere.id()).isNotEqualTo(first.id());
    assertThat(different.id()).isNotEqualTo(first.id());
    assertThat(first.insecureEncoded()).isEqualTo(bytes);
    assertThat(first.hasSameSecretAs(again)).isTrue();
    assertThat(first.hasSameSecretAs(different)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "SYMMETRIC_DEFAULT, 31, 'key material for key spec [SYMMETRIC_DEFAULT] has 31 bytes; it needs"
        + " 32 bytes'",
    "SYMMETRIC_DEFAULT, 33, 'key material for key spec [SYMMETRIC_DEFAULT] has 33 bytes; it needs"
        + " 32 bytes'",
    "HMAC_224, 27, 'key material for key spec [HMAC_224] has 27 bytes; it needs between 28 and 64"
        + " bytes'",
    "HMAC_256, 65, 'key material for key spec [HMAC_256] has 65 bytes; it needs between 32 and 64"
        + " bytes'",
    "HMAC_384, 47, 'key material for key spec [HMAC_384] has 47 bytes; it needs between 48 and 128"
        + " bytes'",
    "HMAC_512, 129, 'key material for key spec [HMAC_512] has 129 bytes; it needs between 64 and"
        + " 128 bytes'"
  })
  void imported_secretOfTheWrongLength_isIncorrectKeyMaterial(
      KeySpec spec, int length, String detail) {
    assertThatThrownBy(() -> KeyMaterial.imported(spec, KEY_ID, new byte[length]))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("IncorrectKeyMaterialException");
              assertThat(e.getMessage()).isEqualTo(detail);
            });
  }

  @ParameterizedTest
  @CsvSource({"HMAC_224, 28", "HMAC_224, 64", "HMAC_384, 128", "HMAC_512, 64"})
  void imported_hmacWithinTheRange_isAccepted(KeySpec spec, int length) {
    assertThat(KeyMaterial.imported(spec, KEY_ID, CryptoRandom.bytes(length)).spec())
        .isEqualTo(spec);
  }

  @ParameterizedTest
  @CsvSource({
    "RSA_2048, RSA, 2048",
    "ECC_NIST_P256, EC, secp256r1",
    "ECC_NIST_P384, EC, secp384r1",
    "ECC_NIST_P521, EC, secp521r1",
    "ECC_NIST_EDWARDS25519, Ed25519, Ed25519"
  })
  void imported_pkcs8PrivateKey_derivesThePublicKey(KeySpec spec, String algorithm, String size)
      throws Exception {
    // given
    KeyPair pair = jcaKeyPair(algorithm, size);

    // when
    KeyMaterial material = KeyMaterial.imported(spec, KEY_ID, pair.getPrivate().getEncoded());

    // then
    assertThat(material.publicKeyDer()).isEqualTo(pair.getPublic().getEncoded());
    assertThat(material.insecureEncoded()).isEqualTo(pair.getPrivate().getEncoded());
  }

  @ParameterizedTest
  @CsvSource({
    "RSA_3072, RSA, 2048, 'imported RSA key has a 2048-bit modulus; key spec [RSA_3072] needs 3072"
        + " bits'",
    "ECC_NIST_P384, EC, secp256r1, 'imported EC key is not on curve [secp384r1] that key spec"
        + " [ECC_NIST_P384] needs'",
    "RSA_2048, EC, secp256r1, 'key material for key spec [RSA_2048] is not a PKCS#8 DER RSA private"
        + " key (67 bytes)'",
    "ECC_NIST_P256, Ed25519, Ed25519, 'key material for key spec [ECC_NIST_P256] is not a PKCS#8"
        + " DER EC private key (48 bytes)'"
  })
  void imported_keyOfAnotherSpec_isIncorrectKeyMaterial(
      KeySpec spec, String algorithm, String size, String detail) throws Exception {
    byte[] pkcs8 = jcaKeyPair(algorithm, size).getPrivate().getEncoded();

    assertThatThrownBy(() -> KeyMaterial.imported(spec, KEY_ID, pkcs8))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("IncorrectKeyMaterialException");
              assertThat(e.getMessage()).isEqualTo(detail);
            });
  }

  @Test
  void imported_garbage_isIncorrectKeyMaterial() {
    assertThatThrownBy(
            () -> KeyMaterial.imported(KeySpec.RSA_2048, KEY_ID, CryptoRandom.bytes(300)))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> assertThat(e.code()).isEqualTo("IncorrectKeyMaterialException"));
  }

  @Test
  void expiry_appliesToImportedMaterialOnly() {
    // given
    KeyMaterial imported =
        KeyMaterial.imported(KeySpec.SYMMETRIC_DEFAULT, KEY_ID, CryptoRandom.bytes(32));
    Instant validTo = Instant.parse("2030-01-01T00:00:00Z");

    // when
    KeyMaterial expiring = imported.expiringAt(validTo);

    // then
    assertThat(imported.validTo()).isEmpty();
    assertThat(expiring.validTo()).contains(validTo);
    assertThat(expiring.id()).isEqualTo(imported.id());
    assertThat(expiring.isExpiredAt(validTo.minusSeconds(1))).isFalse();
    assertThat(expiring.isExpiredAt(validTo)).isTrue();
    assertThat(expiring.withoutExpiry().validTo()).isEmpty();
    assertThat(expiring.toString()).contains(", validTo=2030-01-01T00:00:00Z");
    KeyMaterial generated = TestKeys.of(KeySpec.SYMMETRIC_DEFAULT);
    assertThatThrownBy(() -> generated.expiringAt(validTo))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "expiringAt applies to imported key material only; material [%s] has origin [AWS_KMS]",
            generated.id().value());
  }

  @ParameterizedTest
  @EnumSource(
      value = KeySpec.class,
      names = {
        "SYMMETRIC_DEFAULT",
        "HMAC_384",
        "RSA_2048",
        "ECC_NIST_P521",
        "ECC_NIST_EDWARDS25519"
      })
  void restore_readsBackWhatInsecureEncodedWrote(KeySpec spec) {
    KeyMaterial material = TestKeys.of(spec);

    KeyMaterial restored =
        KeyMaterial.restore(spec, material.id(), material.origin(), material.insecureEncoded());

    assertThat(restored.id()).isEqualTo(material.id());
    assertThat(restored.hasSameSecretAs(material)).isTrue();
    if (spec.isAsymmetric()) {
      assertThat(restored.publicKeyDer()).isEqualTo(material.publicKeyDer());
    }
  }

  @Test
  void keyMaterialId_rejectsWhatIsNot64LowerCaseHex() {
    assertThatThrownBy(() -> KeyMaterialId.parse("ABC"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key material id [ABC] is not 64 lower-case hex characters");
    char[] upper = new char[64];
    Arrays.fill(upper, 'A');
    assertThatThrownBy(() -> KeyMaterialId.parse(new String(upper)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(KeyMaterialId.random()).isNotEqualTo(KeyMaterialId.random());
  }

  static KeyPair jcaKeyPair(String algorithm, String size) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    switch (algorithm) {
      case "RSA" -> generator.initialize(Integer.parseInt(size));
      case "EC" -> generator.initialize(new ECGenParameterSpec(size));
      default -> {
        // Ed25519 needs no parameters.
      }
    }
    return generator.generateKeyPair();
  }
}
