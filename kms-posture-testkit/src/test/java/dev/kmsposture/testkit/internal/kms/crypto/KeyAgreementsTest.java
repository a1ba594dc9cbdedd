package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyAgreementsTest {
  @ParameterizedTest
  @CsvSource({
    "ECC_NIST_P256, secp256r1, 32",
    "ECC_NIST_P384, secp384r1, 48",
    "ECC_NIST_P521, secp521r1, 66"
  })
  void deriveSharedSecret_equalsWhatThePeerDerivesWithPlainJca(
      KeySpec spec, String curve, int length) throws Exception {
    // given: a peer with its own key pair, and our public key as GetPublicKey exports it
    KeyMaterial material = TestKeys.of(spec);
    KeyPair peer = KeyMaterialTest.jcaKeyPair("EC", curve);

    // when
    byte[] ours =
        KeyAgreements.deriveSharedSecret(
            material, KeyAgreementAlgorithm.ECDH, peer.getPublic().getEncoded());

    // then
    KeyAgreement jca = KeyAgreement.getInstance("ECDH");
    jca.init(peer.getPrivate());
    jca.doPhase(
        KeyFactory.getInstance("EC")
            .generatePublic(new X509EncodedKeySpec(material.publicKeyDer())),
        true);
    assertThat(ours).isEqualTo(jca.generateSecret()).hasSize(length);
  }

  @Test
  void deriveSharedSecret_peerOnAnotherCurve_isAValidationError() throws Exception {
    KeyPair peer = KeyMaterialTest.jcaKeyPair("EC", "secp384r1");

    assertThatThrownBy(
            () ->
                KeyAgreements.deriveSharedSecret(
                    TestKeys.of(KeySpec.ECC_NIST_P256),
                    KeyAgreementAlgorithm.ECDH,
                    peer.getPublic().getEncoded()))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ValidationException");
              assertThat(e.awsMessage())
                  .isEqualTo("PublicKey is not on the curve of key spec ECC_NIST_P256 (secp256r1)");
            });
  }

  @Test
  void deriveSharedSecret_notAPublicKey_isAValidationError() {
    assertThatThrownBy(
            () ->
                KeyAgreements.deriveSharedSecret(
                    TestKeys.of(KeySpec.ECC_NIST_P256),
                    KeyAgreementAlgorithm.ECDH,
                    new byte[] {1, 2, 3}))
        .hasMessage(
            "PublicKey is not a DER-encoded X.509 SubjectPublicKeyInfo of an elliptic-curve key (3"
                + " bytes)")
        // recorded from AWS: no message on the wire
        .isInstanceOfSatisfying(
            KmsCryptoException.class, e -> assertThat(e.awsMessage()).isEmpty());
  }

  @Test
  void deriveSharedSecret_rsaOrEdwardsKey_isInvalidKeyUsage() {
    assertThatThrownBy(
            () ->
                KeyAgreements.deriveSharedSecret(
                    TestKeys.of(KeySpec.ECC_NIST_EDWARDS25519),
                    KeyAgreementAlgorithm.ECDH,
                    TestKeys.of(KeySpec.ECC_NIST_P256).publicKeyDer()))
        .isInstanceOfSatisfying(
            KmsCryptoException.class,
            e -> assertThat(e.code()).isEqualTo("InvalidKeyUsageException"));
  }
}
