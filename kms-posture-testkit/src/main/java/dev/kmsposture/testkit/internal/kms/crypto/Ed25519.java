package dev.kmsposture.testkit.internal.kms.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Ed25519 arithmetic from RFC 8032, for what the JDK's EdDSA cannot do: sign a message given only
 * its SHA-512 digest (Ed25519ph, which KMS offers as {@code ED25519_PH_SHA_512} with {@code
 * MessageType=DIGEST}; the JDK's prehash mode hashes the message itself), and derive the public key
 * of imported Ed25519 material.
 *
 * <p>Plain BigInteger arithmetic on extended coordinates: a few milliseconds an operation, and not
 * constant-time. That is fine for a test KMS and not for production keys. The tests check it
 * against the JDK: Ed25519 signatures are deterministic, so ours must equal the JDK's byte for
 * byte.
 */
final class Ed25519 {
  static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  static final BigInteger L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
  private static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  private static final BigInteger D2 = D.shiftLeft(1).mod(P);
  private static final BigInteger SQRT_M1 =
      BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
  private static final Point BASE =
      decode(
              encodeY(
                  BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P),
                  false))
          .orElseThrow(() -> new IllegalStateException("bug in kms-posture: Ed25519 base point"));

  /** dom2(1, "") of RFC 8032 §5.1: the prefix that makes a signature Ed25519ph. */
  static final byte[] DOM2_PREHASH = dom2(1);

  /** No prefix: pure Ed25519. */
  static final byte[] PURE = new byte[0];

  private Ed25519() {}

  private record Point(BigInteger x, BigInteger y, BigInteger z, BigInteger t) {
    Point add(Point q) {
      BigInteger a = y.subtract(x).multiply(q.y.subtract(q.x)).mod(P);
      BigInteger b = y.add(x).multiply(q.y.add(q.x)).mod(P);
      BigInteger c = t.multiply(D2).multiply(q.t).mod(P);
      BigInteger d = z.shiftLeft(1).multiply(q.z).mod(P);
      BigInteger e = b.subtract(a);
      BigInteger f = d.subtract(c);
      BigInteger g = d.add(c);
      BigInteger h = b.add(a);
      return new Point(
          e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P));
    }

    Point times(BigInteger scalar) {
      Point result = new Point(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO);
      for (int i = scalar.bitLength() - 1; i >= 0; i--) {
        result = result.add(result);
        if (scalar.testBit(i)) {
          result = result.add(this);
        }
      }
      return result;
    }

    byte[] encode() {
      BigInteger zInverse = z.modInverse(P);
      return encodeY(y.multiply(zInverse).mod(P), x.multiply(zInverse).mod(P).testBit(0));
    }
  }

  /** The 32-byte public key of the 32-byte private key {@code seed}. */
  static byte[] publicKey(byte[] seed) {
    return BASE.times(secretScalar(sha512(seed))).encode();
  }

  /**
   * The signature of {@code message} by {@code seed}, whose public key is {@code publicKey}; {@code
   * dom} is {@link #PURE} for Ed25519 or {@link #DOM2_PREHASH} for Ed25519ph, where {@code message}
   * is then the SHA-512 digest of the signed message.
   */
  static byte[] sign(byte[] seed, byte[] publicKey, byte[] dom, byte[] message) {
    byte[] h = sha512(seed);
    BigInteger s = secretScalar(h);
    byte[] prefix = Arrays.copyOfRange(h, 32, 64);
    BigInteger r = littleEndian(sha512(dom, prefix, message)).mod(L);
    byte[] encodedR = BASE.times(r).encode();
    BigInteger k = littleEndian(sha512(dom, encodedR, publicKey, message)).mod(L);
    BigInteger bigS = r.add(k.multiply(s)).mod(L);
    byte[] signature = Arrays.copyOf(encodedR, 64);
    System.arraycopy(toLittleEndian(bigS), 0, signature, 32, 32);
    return signature;
  }

  /** Whether {@code signature} is a valid signature of {@code message} (see {@link #sign}). */
  static boolean verify(byte[] publicKey, byte[] dom, byte[] message, byte[] signature) {
    if (signature.length != 64 || publicKey.length != 32) {
      return false;
    }
    byte[] encodedR = Arrays.copyOfRange(signature, 0, 32);
    BigInteger bigS = littleEndian(Arrays.copyOfRange(signature, 32, 64));
    if (bigS.compareTo(L) >= 0) {
      return false;
    }
    Optional<Point> a = decode(publicKey);
    Optional<Point> r = decode(encodedR);
    if (a.isEmpty() || r.isEmpty()) {
      return false;
    }
    BigInteger k = littleEndian(sha512(dom, encodedR, publicKey, message)).mod(L);
    byte[] left = BASE.times(bigS).encode();
    byte[] right = r.get().add(a.get().times(k)).encode();
    return MessageDigest.isEqual(left, right);
  }

  private static Optional<Point> decode(byte[] encoded) {
    if (encoded.length != 32) {
      return Optional.empty();
    }
    byte[] copy = encoded.clone();
    boolean xOdd = (copy[31] & 0x80) != 0;
    copy[31] &= 0x7f;
    BigInteger y = littleEndian(copy);
    if (y.compareTo(P) >= 0) {
      return Optional.empty();
    }
    BigInteger ySquared = y.multiply(y).mod(P);
    BigInteger u = ySquared.subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(ySquared).add(BigInteger.ONE).mod(P);
    BigInteger xSquared = u.multiply(v.modInverse(P)).mod(P);
    BigInteger x = xSquared.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!x.multiply(x).mod(P).equals(xSquared)) {
      x = x.multiply(SQRT_M1).mod(P);
      if (!x.multiply(x).mod(P).equals(xSquared)) {
        return Optional.empty();
      }
    }
    if (x.signum() == 0 && xOdd) {
      return Optional.empty();
    }
    if (x.testBit(0) != xOdd) {
      x = P.subtract(x);
    }
    return Optional.of(new Point(x, y, BigInteger.ONE, x.multiply(y).mod(P)));
  }

  private static byte[] encodeY(BigInteger y, boolean xOdd) {
    byte[] encoded = toLittleEndian(y);
    if (xOdd) {
      encoded[31] |= (byte) 0x80;
    }
    return encoded;
  }

  private static BigInteger secretScalar(byte[] hashedSeed) {
    byte[] scalar = Arrays.copyOf(hashedSeed, 32);
    scalar[0] &= (byte) 248;
    scalar[31] &= 127;
    scalar[31] |= 64;
    return littleEndian(scalar);
  }

  private static BigInteger littleEndian(byte[] bytes) {
    byte[] bigEndian = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      bigEndian[i] = bytes[bytes.length - 1 - i];
    }
    return new BigInteger(1, bigEndian);
  }

  private static byte[] toLittleEndian(BigInteger value) {
    byte[] bigEndian = value.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }

  private static byte[] dom2(int flag) {
    byte[] label = "SigEd25519 no Ed25519 collisions".getBytes(StandardCharsets.US_ASCII);
    byte[] dom = Arrays.copyOf(label, label.length + 2);
    dom[label.length] = (byte) flag;
    dom[label.length + 1] = 0; // empty context
    return dom;
  }

  static byte[] sha512(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-512");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("bug in kms-posture: the JDK has no SHA-512", e);
    }
  }
}
