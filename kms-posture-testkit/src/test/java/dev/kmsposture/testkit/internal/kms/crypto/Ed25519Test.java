package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.security.Signature;
import java.security.spec.EdDSAParameterSpec;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** Our Ed25519 arithmetic against the JDK's: Ed25519 signatures are deterministic. */
class Ed25519Test {
  private final KeyMaterial key = TestKeys.of(KeySpec.ECC_NIST_EDWARDS25519);

  @Test
  void publicKey_ofTheSeed_isTheJdksPublicKey() {
    assertThat(Ed25519.publicKey(key.ed25519Seed())).isEqualTo(key.ed25519PublicKey());
  }

  @Test
  void pureSignature_equalsTheJdksByteForByte() {
    qt().withExamples(25)
        .forAll(
            Generate.byteArrays(
                Generate.range(0, 300), Generate.bytes((byte) -128, (byte) 127, (byte) 0)))
        .checkAssert(
            message -> {
              byte[] ours =
                  Ed25519.sign(key.ed25519Seed(), key.ed25519PublicKey(), Ed25519.PURE, message);
              assertThat(ours).isEqualTo(jdkSign(message, false));
              assertThat(Ed25519.verify(key.ed25519PublicKey(), Ed25519.PURE, message, ours))
                  .isTrue();
            });
  }

  @Test
  void prehashSignatureOfTheDigest_equalsTheJdksEd25519phOfTheMessage() {
    qt().withExamples(25)
        .forAll(
            Generate.byteArrays(
                Generate.range(0, 300), Generate.bytes((byte) -128, (byte) 127, (byte) 0)))
        .checkAssert(
            message -> {
              byte[] digest = Ed25519.sha512(message);
              byte[] ours =
                  Ed25519.sign(
                      key.ed25519Seed(), key.ed25519PublicKey(), Ed25519.DOM2_PREHASH, digest);
              assertThat(ours).isEqualTo(jdkSign(message, true));
              assertThat(Ed25519.verify(key.ed25519PublicKey(), Ed25519.DOM2_PREHASH, digest, ours))
                  .isTrue();
            });
  }

  @Test
  void verify_alteredSignatureOrMessage_isFalse() {
    byte[] digest = Ed25519.sha512(new byte[] {1, 2, 3});
    byte[] signature =
        Ed25519.sign(key.ed25519Seed(), key.ed25519PublicKey(), Ed25519.DOM2_PREHASH, digest);

    for (int i = 0; i < signature.length; i++) {
      byte[] altered = signature.clone();
      altered[i] ^= 0x01;
      assertThat(Ed25519.verify(key.ed25519PublicKey(), Ed25519.DOM2_PREHASH, digest, altered))
          .as("byte %d altered", i)
          .isFalse();
    }
    byte[] otherDigest = Ed25519.sha512(new byte[] {1, 2, 4});
    assertThat(Ed25519.verify(key.ed25519PublicKey(), Ed25519.DOM2_PREHASH, otherDigest, signature))
        .isFalse();
    assertThat(Ed25519.verify(key.ed25519PublicKey(), Ed25519.PURE, digest, signature)).isFalse();
  }

  private byte[] jdkSign(byte[] message, boolean prehash) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key.privateKey());
      if (prehash) {
        signer.setParameter(new EdDSAParameterSpec(true));
      }
      signer.update(message);
      return signer.sign();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
