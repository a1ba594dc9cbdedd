package dev.kmsposture.testkit.kms;

import java.time.Instant;
import java.util.Objects;

/**
 * A rotation that a seeded key already had: when it happened and whether it was automatic or on
 * demand. {@code ListKeyRotations} lists it, and the key keeps a material for it (so the key's
 * rotation history looks as AWS would report it).
 *
 * @param date when the rotation completed
 * @param type {@code AUTOMATIC} or {@code ON_DEMAND}
 */
public record SeedRotation(Instant date, String type) {
  /**
   * Validates the rotation.
   *
   * @throws IllegalArgumentException if {@code type} is not {@code AUTOMATIC} or {@code ON_DEMAND}
   */
  public SeedRotation {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(type, "type");
    if (!type.equals("AUTOMATIC") && !type.equals("ON_DEMAND")) {
      throw new IllegalArgumentException(
          String.format("rotation type [%s] is not valid; expected AUTOMATIC or ON_DEMAND", type));
    }
  }

  /** An automatic rotation at {@code date}. */
  public static SeedRotation automatic(Instant date) {
    return new SeedRotation(date, "AUTOMATIC");
  }

  /** An on-demand rotation at {@code date}. */
  public static SeedRotation onDemand(Instant date) {
    return new SeedRotation(date, "ON_DEMAND");
  }
}
