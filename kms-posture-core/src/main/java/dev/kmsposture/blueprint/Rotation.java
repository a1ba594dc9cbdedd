package dev.kmsposture.blueprint;

import dev.kmsposture.leastprivilege.KeyKind;

/**
 * A blueprint's automatic rotation: on with a period of 90 to 2560 days, or off.
 *
 * <p>Only symmetric encryption keys with KMS-generated material rotate automatically (KMS
 * EnableKeyRotation); the provisioner creates every key with KMS-generated material, so a key can
 * rotate exactly when its spec is {@code SYMMETRIC_DEFAULT}. A blueprint that does not say turns
 * rotation on every 365 days where the key can rotate and leaves it off where it cannot; a
 * blueprint that asks for rotation of a key that cannot rotate is refused, never silently skipped.
 *
 * @param enabled whether automatic rotation is on
 * @param periodDays the rotation period in days (90 to 2560) when on, 0 when off
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html">EnableKeyRotation</a>
 */
public record Rotation(boolean enabled, int periodDays) {
  /** The period KMS uses when none is given, and kms-posture's default. */
  public static final int DEFAULT_PERIOD_DAYS = 365;

  /** The shortest period KMS accepts. */
  public static final int MIN_PERIOD_DAYS = 90;

  /** The longest period KMS accepts. */
  public static final int MAX_PERIOD_DAYS = 2560;

  /**
   * Checks the period.
   *
   * @throws IllegalArgumentException if an enabled rotation's period is outside 90 to 2560 days, or
   *     a disabled rotation has a period
   */
  public Rotation {
    if (enabled && (periodDays < MIN_PERIOD_DAYS || periodDays > MAX_PERIOD_DAYS)) {
      throw new IllegalArgumentException(
          String.format(
              "rotation period [%d] days is out of range; KMS accepts 90 to 2560 days",
              periodDays));
    }
    if (!enabled && periodDays != 0) {
      throw new IllegalArgumentException(
          String.format(
              "rotation is off but has a period of [%d] days; remove the period or turn rotation"
                  + " on",
              periodDays));
    }
  }

  /** Returns rotation on every {@code periodDays} days. */
  public static Rotation every(int periodDays) {
    return new Rotation(true, periodDays);
  }

  /** Returns rotation on every 365 days. */
  public static Rotation yearly() {
    return every(DEFAULT_PERIOD_DAYS);
  }

  /** Returns rotation off. */
  public static Rotation off() {
    return new Rotation(false, 0);
  }

  /**
   * Returns whether a key of {@code kind} with KMS-generated material can rotate automatically:
   * only symmetric encryption keys can.
   */
  public static boolean canRotate(KeyKind kind) {
    return kind.isSymmetricEncryption() && kind.keyUsage().equals("ENCRYPT_DECRYPT");
  }

  /** Returns the default for a key of {@code kind}: yearly where it can rotate, off otherwise. */
  public static Rotation defaultFor(KeyKind kind) {
    return canRotate(kind) ? yearly() : off();
  }
}
