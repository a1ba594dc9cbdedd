package dev.kmsposture.testkit.internal.kms.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.spec.ECFieldFp;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Secp256k1Test {
  // A signature of MESSAGE (ECDSA with SHA-256) made by another implementation (pyca/cryptography,
  // OpenSSL) with the private scalar D; its public point is (QX, QY).
  private static final BigInteger D =
      new BigInteger("1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809", 16);
  private static final ECPoint Q =
      new ECPoint(
          new BigInteger("93ed5f1acd1761d7847610dd2c8d3b058fc4b08538cdec5547310619f449c54c", 16),
          new BigInteger("8aa97c1ce303192cc8332ef708e81f3828d02cfb15cb64a34c97edec006b00dd", 16));
  private static final byte[] MESSAGE =
      "kms-posture secp256k1 vector".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SIGNATURE =
      HexFormat.of()
          .parseHex(
              "3045022100f6473e5e353c8863c838dd801e07e33f3c0068fa936644415923266259a3daa1"
                  + "022057cd266cdcea7610f6fdf1862dd8f7b4c587baac22291d61fcd7f6772e8ea129");

  // y^2 = x^3 + 7 over the curve's prime field
  private static boolean onCurve(ECPoint q) {
    BigInteger p = ((ECFieldFp) Secp256k1.PARAMS.getCurve().getField()).getP();
    BigInteger x = q.getAffineX();
    BigInteger y = q.getAffineY();
    return y.pow(2).subtract(x.pow(3)).subtract(BigInteger.valueOf(7)).mod(p).signum() == 0;
  }

  private static byte[] sha256(byte[] message) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(message);
  }

  @Test
  void publicPoint_matchesTheCurvesKnownMultiples() {
    assertThat(Secp256k1.publicKey(BigInteger.ONE).getW())
        .isEqualTo(Secp256k1.PARAMS.getGenerator());
    // 2G, from SEC 2 test data
    assertThat(Secp256k1.publicKey(BigInteger.TWO).getW())
        .isEqualTo(
            new ECPoint(
                new BigInteger(
                    "C6047F9441ED7D6D3045406E95C07CD85C778E4B8CEF3CA7ABAC09B95C709EE5", 16),
                new BigInteger(
                    "1AE168FEA63DC339A3C58419466CEAEEF7F632653266D0E1236431A950CFE52A", 16)));
    assertThat(Secp256k1.publicKey(D).getW()).isEqualTo(Q);
    assertThat(onCurve(Q)).isTrue();
  }

  @Test
  void verify_acceptsASignatureMadeByAnotherImplementation() throws Exception {
    assertThat(Secp256k1.verify(Q, sha256(MESSAGE), SIGNATURE)).isTrue();
    assertThat(
            Secp256k1.verify(
                Q, sha256("another message".getBytes(StandardCharsets.US_ASCII)), SIGNATURE))
        .isFalse();
  }

  @Test
  void sign_thenVerify_andAnyChangeFails() throws Exception {
    byte[] digest = sha256(MESSAGE);
    byte[] signature = Secp256k1.sign(D, digest);

    assertThat(Secp256k1.verify(Q, digest, signature)).isTrue();
    assertThat(signature[0]).isEqualTo((byte) 0x30);
    byte[] flipped = signature.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThat(Secp256k1.verify(Q, digest, flipped)).isFalse();
    assertThat(Secp256k1.verify(Secp256k1.PARAMS.getGenerator(), digest, signature)).isFalse();
  }

  @Test
  void verify_malformedSignatures_areInvalidNotErrors() throws Exception {
    byte[] digest = sha256(MESSAGE);
    assertThat(Secp256k1.verify(Q, digest, new byte[] {0x30, 0x00})).isFalse();
    assertThat(Secp256k1.verify(Q, digest, "bad".getBytes(StandardCharsets.US_ASCII))).isFalse();
    assertThat(Secp256k1.verify(Q, digest, Arrays.copyOf(SIGNATURE, SIGNATURE.length + 1)))
        .isFalse();
    assertThat(Secp256k1.verify(Q, digest, Arrays.copyOf(SIGNATURE, SIGNATURE.length - 1)))
        .isFalse();
  }
}
