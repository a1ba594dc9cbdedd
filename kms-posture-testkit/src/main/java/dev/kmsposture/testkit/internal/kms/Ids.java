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
  String uuid() {
    // written straight into one byte array: this runs for every request (the journal event id)
    // the same ids as 16 bytes from nextBytes (which takes each long's bytes low first); only
    // the drawing holds the lock
    long high;
    long low;
    synchronized (this) {
      high = Long.reverseBytes(random.nextLong());
      low = Long.reverseBytes(random.nextLong());
    }
    high = (high & ~0xF000L) | 0x4000L;
    low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return Uuids.text(high, low);
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
