package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DataKeyPairsTest {
  private static final String KEY_ARN = "arn:aws:kms:us-west-2:123456789012:key/pairs";

  private final KeyMaterial wrapping = TestKeys.of(KeySpec.SYMMETRIC_DEFAULT);

  @ParameterizedTest
  @CsvSource({
    "RSA_2048, RSA, SHA256withRSA",
    "ECC_NIST_P256, EC, SHA256withECDSA",
    "ECC_NIST_P384, EC, SHA384withECDSA",
    "ECC_NIST_P521, EC, SHA512withECDSA",
    "ECC_NIST_EDWARDS25519, Ed25519, Ed25519"
  })
  void generate_pairIsUsableWithPlainJcaAndItsPrivateKeyDecrypts(
      DataKeyPairSpec spec, String algorithm, String signatureAlgorithm) throws Exception {
    // given
    EncryptionContext context = EncryptionContext.of(Map.of("app", "x"));

    // when
    DataKeyPairs.DataKeyPair pair = DataKeyPairs.generate(spec, wrapping, KEY_ARN, context);

    // then: PKCS#8 and SPKI that plain JCA reads, belonging together
    KeyFactory factory = KeyFactory.getInstance(algorithm);
    var privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pair.privateKeyPlaintext()));
    var publicKey = factory.generatePublic(new X509EncodedKeySpec(pair.publicKey()));
    Signature signer = Signature.getInstance(signatureAlgorithm);
    signer.initSign(privateKey);
    signer.update(new byte[] {42});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(signatureAlgorithm);
    verifier.initVerify(publicKey);
    verifier.update(new byte[] {42});
    assertThat(verifier.verify(signature)).isTrue();
    // and the encrypted copy decrypts to the same PKCS#8 bytes
    CiphertextBlob blob = CiphertextBlob.parse(pair.privateKeyCiphertextBlob());
    assertThat(blob.keyId()).isEqualTo(KEY_ARN);
    assertThat(SymmetricEnvelope.decrypt(blob, wrapping, context))
        .isEqualTo(pair.privateKeyPlaintext());
    assertThat(pair.toString()).contains("privateKeyPlaintext=<redacted>");
    TestKeys.assertDoesNotReveal(pair.toString(), pair.privateKeyPlaintext());
  }

  @ParameterizedTest
  @EnumSource(
      value = DataKeyPairSpec.class,
      names = {"SM2", "ML_KEM_512", "ML_KEM_768", "ML_KEM_1024"})
  void generate_pairTheJdkCannotMake_isUnsupported(DataKeyPairSpec spec) {
    assertThatThrownBy(
            () -> DataKeyPairs.generate(spec, wrapping, KEY_ARN, EncryptionContext.empty()))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("UnsupportedOperationException");
              assertThat(e.awsMessage())
                  .startsWith(
                      "key pair spec ["
                          + spec.wireName()
                          + "] is not supported by the embedded KMS");
            });
  }
}
