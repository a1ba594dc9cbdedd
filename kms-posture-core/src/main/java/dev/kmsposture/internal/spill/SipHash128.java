package dev.kmsposture.internal.spill;

import java.security.SecureRandom;

/**
 * SipHash-2-4 with its 128-bit output, keyed with 128 bits, over a string's UTF-16 code units
 * (little-endian, two bytes each: the message is the string's UTF-16LE encoding).
 *
 * <p>SipHash is a pseudo-random function: without the key, nobody can pick two strings that hash
 * alike better than by chance, so a table keyed with a fresh random key ({@link #random()}) cannot
 * be fed collisions crafted offline. Written from J.-P. Aumasson and D. J. Bernstein, "SipHash: a
 * fast short-input PRF" (INDOCRYPT 2012, https://131002.net/siphash/siphash.pdf): the state
 * constants, SipRound, 2 compression rounds per 8-byte word, the last word carrying the message
 * length mod 256 in its top byte, 4 finalization rounds. The 128-bit output is the mode the
 * authors' reference implementation defines (https://github.com/veorq/SipHash, README): {@code v1
 * ^= 0xee} at the start, {@code v2 ^= 0xee} (instead of 0xff) before finalizing, the first 64 bits,
 * then {@code v1 ^= 0xdd}, 4 more rounds and the second 64 bits. Checked against the reference test
 * vectors (key 00..0f, message 00..n-1) in {@code SipHash128Test}.
 *
 * <p>Not thread-safe: {@link #hash} leaves its result in {@link #low()} and {@link #high()}, so
 * that hashing allocates nothing.
 */
final class SipHash128 {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final long k0;
  private final long k1;
  private long low;
  private long high;

  /** Keys the hash with {@code k0} and {@code k1} (the key's bytes 0-7 and 8-15, little-endian). */
  SipHash128(long k0, long k1) {
    this.k0 = k0;
    this.k1 = k1;
  }

  /** Returns a hash keyed with 128 bits from {@link SecureRandom}. */
  static SipHash128 random() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    long k0 = 0;
    long k1 = 0;
    for (int i = 7; i >= 0; i--) {
      k0 = (k0 << 8) | (key[i] & 0xFF);
      k1 = (k1 << 8) | (key[i + 8] & 0xFF);
    }
    return new SipHash128(k0, k1);
  }

  /** Returns whether this and {@code other} have the same key. */
  boolean sameKey(SipHash128 other) {
    return k0 == other.k0 && k1 == other.k1;
  }

  /** Hashes {@code s}: the result is then {@link #low()} and {@link #high()}. */
  void hash(String s) {
    long v0 = 0x736F6D6570736575L ^ k0;
    long v1 = 0x646F72616E646F6DL ^ k1 ^ 0xEE;
    long v2 = 0x6C7967656E657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    int n = s.length();
    int whole = n & ~3;
    for (int i = 0; i < whole; i += 4) {
      long m =
          s.charAt(i)
              | (long) s.charAt(i + 1) << 16
              | (long) s.charAt(i + 2) << 32
              | (long) s.charAt(i + 3) << 48;
      v3 ^= m;
      // Two SipRounds (compression).
      for (int r = 0; r < 2; r++) {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13) ^ v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16) ^ v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21) ^ v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17) ^ v2;
        v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= m;
    }
    // The last word: the rest (0 to 3 code units, 0 to 6 bytes), the length in bytes mod 256 on
    // top.
    long b = (2L * n) << 56;
    for (int i = whole; i < n; i++) {
      b |= (long) s.charAt(i) << (16 * (i - whole));
    }
    v3 ^= b;
    for (int r = 0; r < 2; r++) {
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13) ^ v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16) ^ v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21) ^ v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17) ^ v2;
      v2 = Long.rotateLeft(v2, 32);
    }
    v0 ^= b;
    v2 ^= 0xEE;
    // Four SipRounds (finalization), the first 64 bits; v1 ^= 0xdd, four more, the second.
    for (int r = 0; r < 4; r++) {
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13) ^ v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16) ^ v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21) ^ v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17) ^ v2;
      v2 = Long.rotateLeft(v2, 32);
    }
    low = v0 ^ v1 ^ v2 ^ v3;
    v1 ^= 0xDD;
    for (int r = 0; r < 4; r++) {
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13) ^ v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16) ^ v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21) ^ v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17) ^ v2;
      v2 = Long.rotateLeft(v2, 32);
    }
    high = v0 ^ v1 ^ v2 ^ v3;
  }

  /** The first 64 bits of the last {@link #hash} (its output bytes 0-7, little-endian). */
  long low() {
    return low;
  }

  /** The second 64 bits of the last {@link #hash} (its output bytes 8-15, little-endian). */
  long high() {
    return high;
  }
}
