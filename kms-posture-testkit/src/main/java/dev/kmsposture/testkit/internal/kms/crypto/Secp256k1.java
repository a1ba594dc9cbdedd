package dev.kmsposture.testkit.internal.kms.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * ECDSA on secp256k1 (key spec {@code ECC_SECG_P256K1}), written out because the JDK 17 provider
 * dropped the curve's arithmetic (its parameters and key encodings remain, so keys are ordinary
 * {@link ECPrivateKey} and {@link ECPublicKey} objects): key generation, the public point of a
 * private scalar, and signing and verifying a digest (SEC 1, section 4.1) with DER signatures as
 * KMS returns them. Not constant-time: this is a test double, not a place for real keys.
 */
final class Secp256k1 {
  static final ECParameterSpec PARAMS = KeyMaterial.curveParameters("secp256k1");
  private static final BigInteger P = ((ECFieldFp) PARAMS.getCurve().getField()).getP();
  private static final BigInteger N = PARAMS.getOrder();
  private static final BigInteger THREE = BigInteger.valueOf(3);

  private Secp256k1() {}

  /** A new key pair. */
  static KeyPair generateKeyPair() {
    BigInteger d;
    do {
      d = new BigInteger(N.bitLength(), CryptoRandom.get());
    } while (d.signum() == 0 || d.compareTo(N) >= 0);
    return new KeyPair(publicKey(d), privateKey(d));
  }

  /** The public key of private scalar {@code d} (in [1, n-1]). */
  static ECPublicKey publicKey(BigInteger d) {
    ECPoint q = multiply(d, PARAMS.getGenerator());
    try {
      return (ECPublicKey)
          KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(q, PARAMS));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bug in kms-posture: cannot encode a secp256k1 key", e);
    }
  }

  private static ECPrivateKey privateKey(BigInteger d) {
    try {
      return (ECPrivateKey)
          KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, PARAMS));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bug in kms-posture: cannot encode a secp256k1 key", e);
    }
  }

  /** A DER-encoded ECDSA signature of {@code digest} with private scalar {@code d}. */
  static byte[] sign(BigInteger d, byte[] digest) {
    BigInteger e = toInteger(digest);
    while (true) {
      BigInteger k = new BigInteger(N.bitLength(), CryptoRandom.get());
      if (k.signum() == 0 || k.compareTo(N) >= 0) {
        continue;
      }
      ECPoint point = multiply(k, PARAMS.getGenerator());
      BigInteger r = point.getAffineX().mod(N);
      if (r.signum() == 0) {
        continue;
      }
      BigInteger s = k.modInverse(N).multiply(e.add(r.multiply(d))).mod(N);
      if (s.signum() != 0) {
        return der(r, s);
      }
    }
  }

  /**
   * Whether {@code signature} (DER) is a valid ECDSA signature of {@code digest} under {@code q}.
   */
  static boolean verify(ECPoint q, byte[] digest, byte[] signature) {
    BigInteger[] rs = parseDer(signature);
    if (rs == null) {
      return false;
    }
    BigInteger r = rs[0];
    BigInteger s = rs[1];
    if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
      return false;
    }
    BigInteger w = s.modInverse(N);
    BigInteger u1 = toInteger(digest).multiply(w).mod(N);
    BigInteger u2 = r.multiply(w).mod(N);
    ECPoint x = add(multiply(u1, PARAMS.getGenerator()), multiply(u2, q));
    return !isInfinity(x) && x.getAffineX().mod(N).equals(r);
  }

  // The leftmost bits of the digest, as many as the order has (SEC 1, 4.1.3 step 5).
  private static BigInteger toInteger(byte[] digest) {
    BigInteger e = new BigInteger(1, digest);
    int excess = digest.length * 8 - N.bitLength();
    return excess > 0 ? e.shiftRight(excess) : e;
  }

  private static ECPoint multiply(BigInteger k, ECPoint point) {
    ECPoint result = ECPoint.POINT_INFINITY;
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      result = add(result, result);
      if (k.testBit(i)) {
        result = add(result, point);
      }
    }
    return result;
  }

  // Affine addition on y^2 = x^3 + 7.
  private static ECPoint add(ECPoint a, ECPoint b) {
    if (isInfinity(a)) {
      return b;
    }
    if (isInfinity(b)) {
      return a;
    }
    BigInteger x1 = a.getAffineX();
    BigInteger y1 = a.getAffineY();
    BigInteger x2 = b.getAffineX();
    BigInteger y2 = b.getAffineY();
    BigInteger lambda;
    if (x1.equals(x2)) {
      if (y1.add(y2).mod(P).signum() == 0) {
        return ECPoint.POINT_INFINITY;
      }
      lambda = THREE.multiply(x1).multiply(x1).multiply(y1.shiftLeft(1).modInverse(P)).mod(P);
    } else {
      lambda = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(P)).mod(P);
    }
    BigInteger x3 = lambda.multiply(lambda).subtract(x1).subtract(x2).mod(P);
    BigInteger y3 = lambda.multiply(x1.subtract(x3)).subtract(y1).mod(P);
    return new ECPoint(x3, y3);
  }

  // ECPoint.POINT_INFINITY equals itself only.
  private static boolean isInfinity(ECPoint point) {
    return ECPoint.POINT_INFINITY.equals(point);
  }

  private static byte[] der(BigInteger r, BigInteger s) {
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.write(rb.length + sb.length + 4);
    out.write(0x02);
    out.write(rb.length);
    out.write(rb, 0, rb.length);
    out.write(0x02);
    out.write(sb.length);
    out.write(sb, 0, sb.length);
    return out.toByteArray();
  }

  // SEQUENCE { INTEGER r, INTEGER s } with short lengths (a 256-bit order needs no more).
  private static BigInteger @Nullable [] parseDer(byte[] der) {
    if (der.length < 8 || der[0] != 0x30 || (der[1] & 0xff) != der.length - 2) {
      return null;
    }
    int at = 2;
    BigInteger[] out = new BigInteger[2];
    for (int i = 0; i < 2; i++) {
      if (at + 2 > der.length || der[at] != 0x02) {
        return null;
      }
      int length = der[at + 1] & 0xff;
      if (length == 0 || length > 33 || at + 2 + length > der.length) {
        return null;
      }
      out[i] = new BigInteger(Arrays.copyOfRange(der, at + 2, at + 2 + length));
      at += 2 + length;
    }
    return at == der.length ? out : null;
  }
}
