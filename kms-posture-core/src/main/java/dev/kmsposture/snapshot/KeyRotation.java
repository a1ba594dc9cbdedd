package dev.kmsposture.snapshot;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code ListKeyRotations}: a completed rotation, or (with {@code ALL_KEY_MATERIAL}) a
 * piece of imported key material.
 *
 * @param rotationDate when the rotation happened, or null for material that was never rotated in
 * @param rotationType {@code AUTOMATIC} or {@code ON_DEMAND}, or null
 * @param keyMaterialId the key material id, or null
 * @param keyMaterialState {@code CURRENT}, {@code NON_CURRENT}, {@code PENDING_ROTATION}, …, or
 *     null
 * @param importState {@code IMPORTED} or {@code PENDING_IMPORT} for imported material, or null
 * @param validTo when imported material expires, or null
 */
public record KeyRotation(
    @Nullable Instant rotationDate,
    @Nullable String rotationType,
    @Nullable String keyMaterialId,
    @Nullable String keyMaterialState,
    @Nullable String importState,
    @Nullable Instant validTo) {

  /** Checks that the entry says something. */
  public KeyRotation {
    if (rotationDate == null && keyMaterialId == null) {
      throw new IllegalArgumentException("a key rotation needs a rotationDate or a keyMaterialId");
    }
  }
}
