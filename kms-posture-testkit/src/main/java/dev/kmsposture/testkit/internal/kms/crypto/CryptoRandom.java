package dev.kmsposture.testkit.internal.kms.crypto;

import java.security.SecureRandom;

/** The one {@link SecureRandom} of the package (thread-safe; shared so it is seeded once). */
final class CryptoRandom {
  private static final SecureRandom RANDOM = new SecureRandom();

  private CryptoRandom() {}

  static SecureRandom get() {
    return RANDOM;
  }

  static void nextBytes(byte[] bytes) {
    RANDOM.nextBytes(bytes);
  }

  static byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
