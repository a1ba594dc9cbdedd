package dev.kmsposture.testkit.internal.kms;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The source of every identifier the engine makes: key ids, multi-Region key ids, grant ids and
 * tokens, key material ids and journal event ids. Seeded, it is deterministic (with a fixed clock,
 * two runs of the same calls give the same ids); unseeded, it draws from {@link SecureRandom}.
 *
 * <p>Thread-safe. Key material is never drawn from here.
 */
final class Ids {
  private static final HexFormat HEX = HexFormat.of();
  private final RandomGenerator random;

  private Ids(RandomGenerator random) {
    this.random = random;
  }

  static Ids seeded(long seed) {
    return new Ids(new SplittableRandom(seed));
  }

  static Ids random() {
    return new Ids(new SplittableRandom(new SecureRandom().nextLong()));
  }

  /** A random UUID in the form KMS key ids take (version 4, lower case). */
  synchronized String uuid() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    String h = HEX.formatHex(b);
    return h.substring(0, 8)
        + "-"
        + h.substring(8, 12)
        + "-"
        + h.substring(12, 16)
        + "-"
        + h.substring(16, 20)
        + "-"
        + h.substring(20);
  }

  /** A multi-Region key id: {@code mrk-} and 32 lower-case hex digits, no dashes. */
  synchronized String mrkId() {
    return "mrk-" + hexUnsynchronized(16);
  }

  /** {@code bytes} random bytes as lower-case hex. */
  synchronized String hex(int bytes) {
    return hexUnsynchronized(bytes);
  }

  /** An opaque grant token (URL-safe base64 of 96 random bytes). */
  synchronized String grantToken() {
    byte[] b = new byte[96];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private String hexUnsynchronized(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HEX.formatHex(b);
  }
}
